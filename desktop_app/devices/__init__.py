"""Cameras, microphones and speakers."""
