"""The schema: migrations match the models on both backends, and every foreign key is indexed."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, inspect, select, text
from sqlalchemy.orm import Session

from sync_server import migrate
from sync_server.config import ServerSettings
from sync_server.db import build_engine
from sync_server.demo import seed_demo
from sync_server.models import Base, Interview, Question, Response
from sync_server.transcript_search.repository import is_search_index_object


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrations_create_exactly_the_models(tmp_path, backend, request):
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    engine = build_engine(ServerSettings(data_dir=tmp_path, database_url=url))  # type: ignore[arg-type]
    try:
        migrate.upgrade(engine, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    # the transcript search index is the migration's (FTS5 table, expression index)
                    "include_name": lambda name, type_, _: not is_search_index_object(name, type_),
                },
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == [], "models and migrations differ; write a revision"
        migrate.downgrade(engine, "base")
        migrate.upgrade(engine, "head")
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_consent_outcome_migration_goes_down_and_up(tmp_path, backend, request):
    """0006 adds the declined status and the people-only choice; going back removes both cleanly."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    engine = build_engine(ServerSettings(data_dir=tmp_path, database_url=url))  # type: ignore[arg-type]

    def interviews_table() -> tuple[set[str], str]:
        inspector = inspect(engine)
        columns = {c["name"] for c in inspector.get_columns("interviews")}
        checks = " ".join(c["sqltext"] for c in inspector.get_check_constraints("interviews"))
        return columns, checks

    try:
        migrate.upgrade(engine, "head")
        columns, checks = interviews_table()
        assert {"people_only", "declined_at"} <= columns and "declined" in checks
        migrate.downgrade(engine, "0005_score_usage")
        columns, checks = interviews_table()
        assert not {"people_only", "declined_at"} & columns
        assert "declined" not in checks and "cancelled" in checks
        migrate.upgrade(engine, "head")
        assert {"people_only", "declined_at"} <= interviews_table()[0]
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migrations_0005_to_0008_keep_the_rows_that_point_at_a_rebuilt_table(tmp_path, backend, request):
    """SQLite alters a table by rebuilding it (0006 rebuilds `interviews`); dropping the old copy with
    foreign keys on would cascade-delete every answer, invite and upload of every interview."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    settings = ServerSettings(data_dir=tmp_path, database_url=url)  # type: ignore[arg-type]
    engine = build_engine(settings)

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in ("interviews", "responses", "invites")
            }

    try:
        migrate.upgrade(engine, "head")
        with Session(engine) as session:
            seeded = seed_demo(session, settings)
            interview = session.get_one(Interview, seeded.interview_id)
            questions = session.scalars(
                select(Question.id).where(Question.question_set_id == interview.question_set_id)
            ).all()
            session.add_all(
                Response(
                    organization_id=interview.organization_id,
                    interview_id=interview.id,
                    question_id=question_id,
                    attempt=1,
                    client_answer_id=f"answer-{number}",
                    transcript={"text": f"answer number {number}", "segments": []},
                )
                for number, question_id in enumerate(questions)
            )
            session.commit()
        before = counts()
        assert before["responses"] == len(questions) > 0 and before["invites"] == 1
        migrate.downgrade(engine, "0005_score_usage")
        assert counts() == before
        migrate.upgrade(engine, "head")
        assert counts() == before
        if backend == "sqlite":  # the search index was rebuilt from the kept answers
            with engine.connect() as connection:
                indexed = connection.execute(
                    text("SELECT COUNT(*) FROM response_transcripts_fts")
                ).scalar_one()
            assert indexed == before["responses"]
    finally:
        engine.dispose()


def test_every_foreign_key_and_organization_column_is_indexed():
    missing = []
    for table in Base.metadata.sorted_tables:
        # A column is indexed when an index, unique constraint or primary key starts with it.
        keyed = list(table.indexes) + [
            c for c in table.constraints if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)
        ]
        leading = {next(iter(k.columns)).name for k in keyed if len(k.columns)}
        missing += [
            f"{table.name}.{fk.parent.name}" for fk in table.foreign_keys if fk.parent.name not in leading
        ]
    assert not missing, f"foreign keys without an index: {missing}"


def test_every_organization_owned_table_has_organization_id():
    exempt = {"organizations", "alembic_version"}
    without = [
        t.name for t in Base.metadata.sorted_tables if t.name not in exempt and "organization_id" not in t.c
    ]
    assert not without, without
