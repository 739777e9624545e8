"""Resumable uploads: the tus 1.0.0 protocol at /api/v1/uploads/."""
