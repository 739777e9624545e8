"""Build the configured storage backend."""

from sync_server.config import ServerSettings
from sync_server.storage.base import ObjectStorage


def build_storage(settings: ServerSettings) -> ObjectStorage:
    if settings.storage_backend == "s3":
        from sync_server.storage.s3 import S3Storage

        assert settings.s3_bucket is not None  # checked by the settings validator
        secret = settings.s3_secret_access_key
        return S3Storage(
            bucket=settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
            part_size=settings.s3_part_size,
        )
    from sync_server.storage.local import LocalStorage

    settings.media_dir.mkdir(parents=True, exist_ok=True)
    return LocalStorage(settings.media_dir)
