"""A small world for upload tests: an organization with an enrolled station, an HR user, a candidate
and an interview of three questions opened on that station — written straight into the database."""

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.auth.credentials import generate_station_credential, sha256_hex
from sync_server.auth.passwords import hash_password
from sync_server.auth.tokens import issue_access_token
from sync_server.config import ServerSettings
from sync_server.db import build_engine
from sync_server.migrate import upgrade
from sync_server.models import (
    Candidate,
    Interview,
    Organization,
    Question,
    QuestionSet,
    Response,
    Station,
    User,
)


@dataclass(frozen=True)
class SyncWorld:
    organization_id: str
    station_id: str
    station_credential: str
    other_station_credential: str
    hr_user_id: str
    candidate_id: str
    interview_id: str
    question_ids: list[str]

    def hr_token(self, settings: ServerSettings) -> str:
        token, _ = issue_access_token(
            settings,
            user_id=self.hr_user_id,
            organization_id=self.organization_id,
            role="hr",
            family_id=str(uuid.uuid4()),
        )
        return token


def migrated(settings: ServerSettings) -> None:
    engine = build_engine(settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def seed_world(settings: ServerSettings, *, questions: int = 3) -> SyncWorld:
    engine = build_engine(settings)
    try:
        with Session(engine) as session:
            org = Organization(name="Acme", slug=f"acme-{secrets.token_hex(4)}")
            session.add(org)
            session.flush()
            credential, other_credential = generate_station_credential(), generate_station_credential()
            station = Station(
                organization_id=org.id, name="Lobby kiosk", credential_hash=sha256_hex(credential)
            )
            other = Station(
                organization_id=org.id, name="Other kiosk", credential_hash=sha256_hex(other_credential)
            )
            hr = User(
                organization_id=org.id,
                email=f"hr-{secrets.token_hex(3)}@acme.test",
                role="hr",
                password_hash=hash_password(secrets.token_urlsafe(16)),
            )
            candidate = Candidate(organization_id=org.id, full_name="Ada Candidate")
            question_set = QuestionSet(organization_id=org.id, name="Support engineer")
            session.add_all([station, other, hr, candidate, question_set])
            session.flush()
            rows = [
                Question(
                    organization_id=org.id, question_set_id=question_set.id, position=i, text=f"Question {i}?"
                )
                for i in range(1, questions + 1)
            ]
            session.add_all(rows)
            interview = Interview(
                organization_id=org.id,
                candidate_id=candidate.id,
                question_set_id=question_set.id,
                station_id=station.id,
                status="in_progress",
            )
            session.add(interview)
            session.commit()
            return SyncWorld(
                organization_id=org.id,
                station_id=station.id,
                station_credential=credential,
                other_station_credential=other_credential,
                hr_user_id=hr.id,
                candidate_id=candidate.id,
                interview_id=interview.id,
                question_ids=[q.id for q in rows],
            )
    finally:
        engine.dispose()


def add_interview(settings: ServerSettings, world: SyncWorld) -> str:
    """Another interview for the same candidate, opened on the world's station."""
    engine = build_engine(settings)
    try:
        with Session(engine) as session:
            first = session.get(Interview, world.interview_id)
            assert first is not None
            interview = Interview(
                organization_id=world.organization_id,
                candidate_id=world.candidate_id,
                question_set_id=first.question_set_id,
                station_id=world.station_id,
                status="in_progress",
            )
            session.add(interview)
            session.commit()
            return interview.id
    finally:
        engine.dispose()


def responses_of(settings: ServerSettings, interview_id: str) -> list[Response]:
    engine = build_engine(settings)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Response).where(Response.interview_id == interview_id)).all())
    finally:
        engine.dispose()
