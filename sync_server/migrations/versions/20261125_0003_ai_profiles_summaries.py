"""AI: screened CV profiles per candidate, versioned interview summaries.

Revision ID: 0003_ai_profiles_summaries
Revises: 0002_core_schema
Create Date: 2026-11-25 18:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_ai_profiles_summaries"
down_revision: str | Sequence[str] | None = "0002_core_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cv_profiles",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("cv_sha256", sa.Text(), nullable=True),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("years_experience", sa.Float(), nullable=True),
        sa.Column("education", JSON, nullable=False),
        sa.Column("recent_titles", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("passages", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_cv_profiles_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_cv_profiles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cv_profiles")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_cv_profiles_candidate_id")),
    )
    op.create_index(op.f("ix_cv_profiles_candidate_id"), "cv_profiles", ["candidate_id"], unique=False)
    op.create_index(op.f("ix_cv_profiles_organization_id"), "cv_profiles", ["organization_id"], unique=False)
    op.create_table(
        "interview_summaries",
        sa.Column("interview_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("criteria", JSON, nullable=False),
        sa.Column("scored_answers", sa.Integer(), nullable=False),
        sa.Column("unscored_answers", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_interview_summaries_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_interview_summaries_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_summaries")),
        sa.UniqueConstraint(
            "interview_id", "version", name=op.f("uq_interview_summaries_interview_id_version")
        ),
    )
    op.create_index(
        op.f("ix_interview_summaries_interview_id"), "interview_summaries", ["interview_id"], unique=False
    )
    op.create_index(
        op.f("ix_interview_summaries_organization_id"),
        "interview_summaries",
        ["organization_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("interview_summaries")
    op.drop_table("cv_profiles")
