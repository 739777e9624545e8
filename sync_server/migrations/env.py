"""Alembic environment: runs against the engine the caller configured (see sync_server.migrate)."""

from alembic import context
from sqlalchemy import Connection

import sync_server.models  # noqa: F401  (registers every table on the metadata)
from sync_server.models.base import Base
from sync_server.transcript_search.repository import is_search_index_object


def _described_by_models(name: str | None, type_: str, _parent_names: object) -> bool:
    return not is_search_index_object(name, type_)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `interview-server migrate`")
_run(connection)
