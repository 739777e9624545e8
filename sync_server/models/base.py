"""Declarative base with a constraint naming convention (stable migration names on every backend)."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, ForeignKey, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 36

# JSON documents (transcripts, criteria, settings): JSONB on PostgreSQL, JSON text on SQLite.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def new_id() -> str:
    """A random UUID as text: portable across SQLite and PostgreSQL, and creatable by clients."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value  # type: ignore[no-any-return]


class IdMixin:
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class OrgOwnedMixin:
    """Every organization-owned row carries organization_id; every query filters on it."""

    @declared_attr
    def organization_id(cls) -> Mapped[str]:
        return mapped_column(
            String(ID_LENGTH), ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
        )


def fk_id(target: str, *, ondelete: str = "CASCADE", nullable: bool = False) -> Mapped[Any]:
    """A foreign key to `target` ("table.id"), always indexed."""
    return mapped_column(
        String(ID_LENGTH), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )
