"""Where media bytes live: one interface, a local-filesystem backend (default) and an S3 backend."""

from sync_server.storage.base import AppendWriter, ObjectStorage, StorageError, validate_key
from sync_server.storage.factory import build_storage

__all__ = ["AppendWriter", "ObjectStorage", "StorageError", "build_storage", "validate_key"]
