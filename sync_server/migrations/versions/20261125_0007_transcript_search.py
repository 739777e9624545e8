"""Full-text search over answer transcripts: a stored generated tsvector column with a GIN index on
PostgreSQL, an FTS5 table kept current by triggers on SQLite (see sync_server/transcript_search/
repository.py for how both are queried). Neither is in the ORM models.

Both index `transcript ->> 'text'` inside the database, so every write of `responses.transcript`
(a station's upload, an erasure, a purge) updates the index with no application code. Note for later
SQLite migrations: a batch operation that recreates `responses` drops these triggers; recreate them
(tests/integration/test_transcript_search.py fails when they are missing).

Revision ID: 0007_transcript_search
Revises: 0006_consent_outcome
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_transcript_search"
down_revision: str | Sequence[str] | None = "0006_consent_outcome"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_UPGRADE = [
    "ALTER TABLE responses ADD COLUMN transcript_search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, COALESCE(transcript ->> 'text', ''))) STORED",
    "CREATE INDEX ix_responses_transcript_search ON responses USING gin (transcript_search)",
]
POSTGRES_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_responses_transcript_search",
    "ALTER TABLE responses DROP COLUMN IF EXISTS transcript_search",
]

SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE response_transcripts_fts USING fts5("
    "response_id UNINDEXED, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER responses_transcript_fts_insert AFTER INSERT ON responses
    WHEN json_extract(new.transcript, '$.text') IS NOT NULL
    BEGIN
        INSERT INTO response_transcripts_fts (response_id, body)
            VALUES (new.id, json_extract(new.transcript, '$.text'));
    END""",
    """CREATE TRIGGER responses_transcript_fts_update AFTER UPDATE OF transcript ON responses
    BEGIN
        DELETE FROM response_transcripts_fts WHERE response_id = old.id;
        INSERT INTO response_transcripts_fts (response_id, body)
            SELECT new.id, json_extract(new.transcript, '$.text')
            WHERE json_extract(new.transcript, '$.text') IS NOT NULL;
    END""",
    """CREATE TRIGGER responses_transcript_fts_delete AFTER DELETE ON responses
    BEGIN
        DELETE FROM response_transcripts_fts WHERE response_id = old.id;
    END""",
    """INSERT INTO response_transcripts_fts (response_id, body)
    SELECT id, json_extract(transcript, '$.text') FROM responses
    WHERE json_extract(transcript, '$.text') IS NOT NULL""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS responses_transcript_fts_delete",
    "DROP TRIGGER IF EXISTS responses_transcript_fts_update",
    "DROP TRIGGER IF EXISTS responses_transcript_fts_insert",
    "DROP TABLE IF EXISTS response_transcripts_fts",
]


def _statements(postgres: list[str], sqlite: list[str]) -> list[str]:
    return postgres if op.get_bind().dialect.name == "postgresql" else sqlite


def upgrade() -> None:
    for statement in _statements(POSTGRES_UPGRADE, SQLITE_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(POSTGRES_DOWNGRADE, SQLITE_DOWNGRADE):
        op.execute(statement)
