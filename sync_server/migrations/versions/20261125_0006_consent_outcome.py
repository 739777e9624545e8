"""The candidate's consent outcome reaches the server: a people-only choice and a declined status.

Revision ID: 0006_consent_outcome
Revises: 0005_score_usage
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_consent_outcome"
down_revision: str | Sequence[str] | None = "0005_score_usage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('invited', 'in_progress', 'completed', 'expired', 'cancelled')"
NEW_STATUSES = "status IN ('invited', 'in_progress', 'completed', 'expired', 'cancelled', 'declined')"


def upgrade() -> None:
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people_only", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_interviews_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_interviews_status"), NEW_STATUSES)


def downgrade() -> None:
    # The old schema has no "declined": a declined interview becomes cancelled (also terminal). The
    # people-only choice is dropped with its column: older server code could not honour it anyway.
    op.execute("UPDATE interviews SET status = 'cancelled' WHERE status = 'declined'")
    with op.batch_alter_table("interviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_interviews_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_interviews_status"), OLD_STATUSES)
        batch_op.drop_column("declined_at")
        batch_op.drop_column("people_only")
