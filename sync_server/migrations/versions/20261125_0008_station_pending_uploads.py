"""Stations report how many answers wait in their outbox (heartbeat), and when they said so.

Revision ID: 0008_station_pending_uploads
Revises: 0007_transcript_search
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_station_pending_uploads"
down_revision: str | Sequence[str] | None = "0007_transcript_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_uploads", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("pending_uploads_reported_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_column("pending_uploads_reported_at")
        batch_op.drop_column("pending_uploads")
