"""The station's durable local state: one SQLite file (WAL) plus the media folder."""
