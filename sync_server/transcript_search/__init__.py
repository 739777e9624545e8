"""Full-text search over the transcripts of a job's answers (PostgreSQL tsvector, SQLite FTS5)."""
