"""Delivering the outbox to the sync server: enrollment, the tus uploader and the background loop."""
