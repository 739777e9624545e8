"""SQLAlchemy models. Import every model module here so Alembic sees the whole metadata."""

from sync_server.models.base import Base

__all__ = ["Base"]
