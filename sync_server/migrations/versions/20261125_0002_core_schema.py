"""Core schema: organizations, users, tokens, jobs, candidates, question sets, interviews, responses,
scores, reviews, invites, stations, enrollment codes, audit log, uploads and dead background jobs.

Revision ID: 0002_core_schema
Revises: 0001_baseline
Create Date: 2026-11-25 17:37:33.569040
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_core_schema"
down_revision: str | Sequence[str] | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_table(
        "audit_log",
        sa.Column("actor_type", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_audit_log_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
    op.create_index(op.f("ix_audit_log_actor_id"), "audit_log", ["actor_id"], unique=False)
    op.create_index(op.f("ix_audit_log_organization_id"), "audit_log", ["organization_id"], unique=False)
    op.create_index(
        "ix_audit_log_organization_id_created_at",
        "audit_log",
        ["organization_id", "created_at"],
        unique=False,
    )
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id"], unique=False)
    op.create_table(
        "dead_jobs",
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("job_name", sa.String(length=128), nullable=False),
        sa.Column(
            "arguments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("retried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_dead_jobs_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_jobs")),
        sa.UniqueConstraint("message_id", name=op.f("uq_dead_jobs_message_id")),
    )
    op.create_index(op.f("ix_dead_jobs_job_name"), "dead_jobs", ["job_name"], unique=False)
    op.create_index(op.f("ix_dead_jobs_organization_id"), "dead_jobs", ["organization_id"], unique=False)
    op.create_index(op.f("ix_dead_jobs_retried_at"), "dead_jobs", ["retried_at"], unique=False)
    op.create_table(
        "stations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credential_hash", sa.String(length=64), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("app_version", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_stations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("credential_hash", name=op.f("uq_stations_credential_hash")),
    )
    op.create_index(op.f("ix_stations_organization_id"), "stations", ["organization_id"], unique=False)
    op.create_index(op.f("ix_stations_revoked_at"), "stations", ["revoked_at"], unique=False)
    op.create_table(
        "users",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'hr')", name=op.f("ck_users_role")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_users_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_is_active"), "users", ["is_active"], unique=False)
    op.create_index(op.f("ix_users_organization_id"), "users", ["organization_id"], unique=False)
    op.create_index(op.f("ix_users_role"), "users", ["role"], unique=False)
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("station_name", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("station_id", sa.String(length=36), nullable=True),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_enrollment_codes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_enrollment_codes_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_enrollment_codes_station_id_stations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrollment_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_enrollment_codes_created_by_id"), "enrollment_codes", ["created_by_id"], unique=False
    )
    op.create_index(
        op.f("ix_enrollment_codes_organization_id"), "enrollment_codes", ["organization_id"], unique=False
    )
    op.create_index(op.f("ix_enrollment_codes_station_id"), "enrollment_codes", ["station_id"], unique=False)
    op.create_table(
        "question_sets",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_question_sets_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_question_sets_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_sets")),
    )
    op.create_index(op.f("ix_question_sets_created_by_id"), "question_sets", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_question_sets_name"), "question_sets", ["name"], unique=False)
    op.create_index(
        op.f("ix_question_sets_organization_id"), "question_sets", ["organization_id"], unique=False
    )
    op.create_index(
        "ix_question_sets_organization_id_created_at",
        "question_sets",
        ["organization_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_refresh_tokens_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_refresh_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"], unique=False)
    op.create_index(
        op.f("ix_refresh_tokens_organization_id"), "refresh_tokens", ["organization_id"], unique=False
    )
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"], unique=False)
    op.create_table(
        "jobs",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("question_set_id", sa.String(length=36), nullable=True),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_jobs_status")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_jobs_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_jobs_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name=op.f("fk_jobs_question_set_id_question_sets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_created_by_id"), "jobs", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_jobs_organization_id"), "jobs", ["organization_id"], unique=False)
    op.create_index(
        "ix_jobs_organization_id_created_at", "jobs", ["organization_id", "created_at"], unique=False
    )
    op.create_index(op.f("ix_jobs_question_set_id"), "jobs", ["question_set_id"], unique=False)
    op.create_index(op.f("ix_jobs_status"), "jobs", ["status"], unique=False)
    op.create_index(op.f("ix_jobs_title"), "jobs", ["title"], unique=False)
    op.create_table(
        "questions",
        sa.Column("question_set_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column(
            "key_points",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("think_seconds", sa.Integer(), nullable=False),
        sa.Column("answer_seconds", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "type IN ('technical', 'behavioral', 'situational')", name=op.f("ck_questions_type")
        ),
        sa.CheckConstraint("max_attempts >= 1", name=op.f("ck_questions_max_attempts")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_questions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name=op.f("fk_questions_question_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint(
            "question_set_id", "position", name=op.f("uq_questions_question_set_id_position")
        ),
    )
    op.create_index(op.f("ix_questions_organization_id"), "questions", ["organization_id"], unique=False)
    op.create_index(op.f("ix_questions_question_set_id"), "questions", ["question_set_id"], unique=False)
    op.create_table(
        "candidates",
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("cv_object_key", sa.String(length=512), nullable=True),
        sa.Column("cv_filename", sa.String(length=255), nullable=True),
        sa.Column("cv_content_type", sa.String(length=127), nullable=True),
        sa.Column("cv_size", sa.BigInteger(), nullable=True),
        sa.Column("cv_sha256", sa.String(length=64), nullable=True),
        sa.Column("cv_text", sa.Text(), nullable=True),
        sa.Column("cv_status", sa.String(length=16), nullable=True),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_candidates_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_candidates_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_candidates_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
    )
    op.create_index(op.f("ix_candidates_created_by_id"), "candidates", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_candidates_email"), "candidates", ["email"], unique=False)
    op.create_index(op.f("ix_candidates_erased_at"), "candidates", ["erased_at"], unique=False)
    op.create_index(op.f("ix_candidates_full_name"), "candidates", ["full_name"], unique=False)
    op.create_index(op.f("ix_candidates_job_id"), "candidates", ["job_id"], unique=False)
    op.create_index(op.f("ix_candidates_organization_id"), "candidates", ["organization_id"], unique=False)
    op.create_index(
        "ix_candidates_organization_id_created_at",
        "candidates",
        ["organization_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "interviews",
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("question_set_id", sa.String(length=36), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "accommodations",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("consent_version", sa.String(length=64), nullable=True),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "status IN ('invited', 'in_progress', 'completed', 'expired', 'cancelled')",
            name=op.f("ck_interviews_status"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_interviews_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_interviews_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_interviews_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name=op.f("fk_interviews_question_set_id_question_sets"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_interviews_station_id_stations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
    )
    op.create_index(op.f("ix_interviews_candidate_id"), "interviews", ["candidate_id"], unique=False)
    op.create_index(op.f("ix_interviews_job_id"), "interviews", ["job_id"], unique=False)
    op.create_index(op.f("ix_interviews_organization_id"), "interviews", ["organization_id"], unique=False)
    op.create_index(op.f("ix_interviews_question_set_id"), "interviews", ["question_set_id"], unique=False)
    op.create_index(op.f("ix_interviews_station_id"), "interviews", ["station_id"], unique=False)
    op.create_index(op.f("ix_interviews_status"), "interviews", ["status"], unique=False)
    op.create_index(op.f("ix_interviews_updated_at"), "interviews", ["updated_at"], unique=False)
    op.create_table(
        "invites",
        sa.Column("interview_id", sa.String(length=36), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_station_id", sa.String(length=36), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_invites_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_invites_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_invites_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_invites_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by_station_id"],
            ["stations.id"],
            name=op.f("fk_invites_used_by_station_id_stations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invites_code_hash")),
    )
    op.create_index(op.f("ix_invites_candidate_id"), "invites", ["candidate_id"], unique=False)
    op.create_index(op.f("ix_invites_created_by_id"), "invites", ["created_by_id"], unique=False)
    op.create_index(op.f("ix_invites_expires_at"), "invites", ["expires_at"], unique=False)
    op.create_index(op.f("ix_invites_interview_id"), "invites", ["interview_id"], unique=False)
    op.create_index(op.f("ix_invites_organization_id"), "invites", ["organization_id"], unique=False)
    op.create_index(
        "ix_invites_organization_id_created_at", "invites", ["organization_id", "created_at"], unique=False
    )
    op.create_index(op.f("ix_invites_used_by_station_id"), "invites", ["used_by_station_id"], unique=False)
    op.create_table(
        "responses",
        sa.Column("interview_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=36), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("client_answer_id", sa.String(length=64), nullable=False),
        sa.Column("media_object_key", sa.String(length=512), nullable=True),
        sa.Column("media_sha256", sa.String(length=64), nullable=True),
        sa.Column("media_size", sa.BigInteger(), nullable=True),
        sa.Column("media_content_type", sa.String(length=127), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column(
            "transcript",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "local_metrics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("media_uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint("attempt >= 1", name=op.f("ck_responses_attempt")),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_responses_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_responses_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_responses_question_id_questions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint(
            "interview_id",
            "question_id",
            "attempt",
            name=op.f("uq_responses_interview_id_question_id_attempt"),
        ),
        sa.UniqueConstraint(
            "organization_id", "client_answer_id", name=op.f("uq_responses_organization_id_client_answer_id")
        ),
    )
    op.create_index(op.f("ix_responses_interview_id"), "responses", ["interview_id"], unique=False)
    op.create_index(op.f("ix_responses_organization_id"), "responses", ["organization_id"], unique=False)
    op.create_index(op.f("ix_responses_question_id"), "responses", ["question_id"], unique=False)
    op.create_table(
        "reviews",
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("override_score", sa.Float(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_reviews_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_reviews_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_reviews_reviewer_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("response_id", "reviewer_id", name=op.f("uq_reviews_response_id_reviewer_id")),
    )
    op.create_index(op.f("ix_reviews_organization_id"), "reviews", ["organization_id"], unique=False)
    op.create_index(op.f("ix_reviews_response_id"), "reviews", ["response_id"], unique=False)
    op.create_index(op.f("ix_reviews_reviewer_id"), "reviews", ["reviewer_id"], unique=False)
    op.create_table(
        "scores",
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("prompt_version", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column(
            "criteria",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.CheckConstraint(
            "status IN ('scored', 'not_enough_to_score', 'failed')", name=op.f("ck_scores_status")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_scores_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_scores_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
        sa.UniqueConstraint("response_id", "version", name=op.f("uq_scores_response_id_version")),
    )
    op.create_index(op.f("ix_scores_organization_id"), "scores", ["organization_id"], unique=False)
    op.create_index(op.f("ix_scores_response_id"), "scores", ["response_id"], unique=False)
    op.create_index(op.f("ix_scores_status"), "scores", ["status"], unique=False)
    op.create_table(
        "uploads",
        sa.Column("station_id", sa.String(length=36), nullable=True),
        sa.Column("interview_id", sa.String(length=36), nullable=True),
        sa.Column("response_id", sa.String(length=36), nullable=True),
        sa.Column("length", sa.BigInteger(), nullable=True),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("object_key", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_uploads_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_uploads_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_uploads_response_id_responses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_uploads_station_id_stations"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
    )
    op.create_index(op.f("ix_uploads_completed_at"), "uploads", ["completed_at"], unique=False)
    op.create_index(op.f("ix_uploads_expires_at"), "uploads", ["expires_at"], unique=False)
    op.create_index(op.f("ix_uploads_interview_id"), "uploads", ["interview_id"], unique=False)
    op.create_index(op.f("ix_uploads_organization_id"), "uploads", ["organization_id"], unique=False)
    op.create_index(op.f("ix_uploads_response_id"), "uploads", ["response_id"], unique=False)
    op.create_index(op.f("ix_uploads_station_id"), "uploads", ["station_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_uploads_station_id"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_response_id"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_organization_id"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_interview_id"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_expires_at"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_completed_at"), table_name="uploads")
    op.drop_table("uploads")
    op.drop_index(op.f("ix_scores_status"), table_name="scores")
    op.drop_index(op.f("ix_scores_response_id"), table_name="scores")
    op.drop_index(op.f("ix_scores_organization_id"), table_name="scores")
    op.drop_table("scores")
    op.drop_index(op.f("ix_reviews_reviewer_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_response_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_organization_id"), table_name="reviews")
    op.drop_table("reviews")
    op.drop_index(op.f("ix_responses_question_id"), table_name="responses")
    op.drop_index(op.f("ix_responses_organization_id"), table_name="responses")
    op.drop_index(op.f("ix_responses_interview_id"), table_name="responses")
    op.drop_table("responses")
    op.drop_index(op.f("ix_invites_used_by_station_id"), table_name="invites")
    op.drop_index("ix_invites_organization_id_created_at", table_name="invites")
    op.drop_index(op.f("ix_invites_organization_id"), table_name="invites")
    op.drop_index(op.f("ix_invites_interview_id"), table_name="invites")
    op.drop_index(op.f("ix_invites_expires_at"), table_name="invites")
    op.drop_index(op.f("ix_invites_created_by_id"), table_name="invites")
    op.drop_index(op.f("ix_invites_candidate_id"), table_name="invites")
    op.drop_table("invites")
    op.drop_index(op.f("ix_interviews_updated_at"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_status"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_station_id"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_question_set_id"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_organization_id"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_job_id"), table_name="interviews")
    op.drop_index(op.f("ix_interviews_candidate_id"), table_name="interviews")
    op.drop_table("interviews")
    op.drop_index("ix_candidates_organization_id_created_at", table_name="candidates")
    op.drop_index(op.f("ix_candidates_organization_id"), table_name="candidates")
    op.drop_index(op.f("ix_candidates_job_id"), table_name="candidates")
    op.drop_index(op.f("ix_candidates_full_name"), table_name="candidates")
    op.drop_index(op.f("ix_candidates_erased_at"), table_name="candidates")
    op.drop_index(op.f("ix_candidates_email"), table_name="candidates")
    op.drop_index(op.f("ix_candidates_created_by_id"), table_name="candidates")
    op.drop_table("candidates")
    op.drop_index(op.f("ix_questions_question_set_id"), table_name="questions")
    op.drop_index(op.f("ix_questions_organization_id"), table_name="questions")
    op.drop_table("questions")
    op.drop_index(op.f("ix_jobs_title"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_status"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_question_set_id"), table_name="jobs")
    op.drop_index("ix_jobs_organization_id_created_at", table_name="jobs")
    op.drop_index(op.f("ix_jobs_organization_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_created_by_id"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_index(op.f("ix_refresh_tokens_user_id"), table_name="refresh_tokens")
    op.drop_index(op.f("ix_refresh_tokens_organization_id"), table_name="refresh_tokens")
    op.drop_index(op.f("ix_refresh_tokens_family_id"), table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_index("ix_question_sets_organization_id_created_at", table_name="question_sets")
    op.drop_index(op.f("ix_question_sets_organization_id"), table_name="question_sets")
    op.drop_index(op.f("ix_question_sets_name"), table_name="question_sets")
    op.drop_index(op.f("ix_question_sets_created_by_id"), table_name="question_sets")
    op.drop_table("question_sets")
    op.drop_index(op.f("ix_enrollment_codes_station_id"), table_name="enrollment_codes")
    op.drop_index(op.f("ix_enrollment_codes_organization_id"), table_name="enrollment_codes")
    op.drop_index(op.f("ix_enrollment_codes_created_by_id"), table_name="enrollment_codes")
    op.drop_table("enrollment_codes")
    op.drop_index(op.f("ix_users_role"), table_name="users")
    op.drop_index(op.f("ix_users_organization_id"), table_name="users")
    op.drop_index(op.f("ix_users_is_active"), table_name="users")
    op.drop_table("users")
    op.drop_index(op.f("ix_stations_revoked_at"), table_name="stations")
    op.drop_index(op.f("ix_stations_organization_id"), table_name="stations")
    op.drop_table("stations")
    op.drop_index(op.f("ix_dead_jobs_retried_at"), table_name="dead_jobs")
    op.drop_index(op.f("ix_dead_jobs_organization_id"), table_name="dead_jobs")
    op.drop_index(op.f("ix_dead_jobs_job_name"), table_name="dead_jobs")
    op.drop_table("dead_jobs")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_organization_id_created_at", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_organization_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_actor_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_action"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("organizations")
