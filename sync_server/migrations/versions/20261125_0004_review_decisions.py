"""Reviews carry the reviewer's decision about the candidate (shortlist / reject) and a note.

Revision ID: 0004_review_decisions
Revises: 0003_ai_profiles_summaries
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_review_decisions"
down_revision: str | Sequence[str] | None = "0003_ai_profiles_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("decision_note", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_reviews_decision"), ["decision"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_decision"))
        batch_op.drop_column("decision_note")
        batch_op.drop_column("decision")
