"""Interviews a candidate walked away from are marked expired after a quiet period, retention counts
them as ended then, and a station that comes back days later still delivers everything (SQLite and
PostgreSQL, through the real station outbox and sync loop)."""

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.database import open_station_db
from desktop_app.store.local_retention import LocalRetention
from desktop_app.store.outbox import Outbox
from desktop_app.sync.loop import SyncLoop
from desktop_app.sync.sessions import queue_consent_given, queue_interview_completed
from sync_server.app import create_app
from sync_server.candidates.retention import candidates_past_retention
from sync_server.config import ServerSettings
from sync_server.contract import Transcript
from sync_server.interviews.jobs import expire_abandoned_interviews
from sync_server.models import AuditEntry, Interview, Response, Upload, utcnow
from tests.support.server import Caller, Tenant, enroll_station, make_question_set, make_tenant

QUIET = timedelta(days=3)  # longer than the default 48 hours without station activity


@pytest.fixture
def client(server_settings: ServerSettings) -> Iterator[TestClient]:
    # No background worker: the sweep runs when the test says so.
    settings = server_settings.model_copy(update={"embedded_worker": False})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class StationAt:
    """A station with its own outbox, delivering through the real sync loop to the test server."""

    def __init__(self, client: TestClient, caller: Caller, folder: Path) -> None:
        self.client = client
        self.caller = caller
        self.folder = folder
        self.outbox = Outbox.open(folder / "station.db")

    def open(self, tenant: Tenant, question_set_id: str, name: str) -> dict[str, object]:
        candidate = self.client.post(
            "/api/v1/candidates", data={"full_name": name}, headers=tenant.hr.headers
        )
        invite = self.client.post(
            "/api/v1/invites",
            json={"candidate_id": candidate.json()["id"], "question_set_id": question_set_id},
            headers=tenant.hr.headers,
        ).json()
        plan = self.client.post(
            "/api/v1/station/sessions",
            json={"access_code": invite["access_code"]},
            headers=self.caller.headers,
        )
        assert plan.status_code == 200, plan.text
        body: dict[str, object] = {**plan.json(), "candidate_id": candidate.json()["id"]}
        queue_consent_given(
            self.outbox,
            interview_id=str(body["interview_id"]),
            consent_version="v1",
            people_only=True,  # no AI work in this test
            at=datetime.now(UTC),
        )
        return body

    def answer(self, plan: dict[str, object], question_index: int) -> str:
        interview_id = str(plan["interview_id"])
        question = plan["questions"][question_index]  # type: ignore[index]
        answer_id = f"{interview_id[:8]}-{question_index}"
        media = self.folder / "media" / f"{answer_id}.mp4"
        media.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(3000)
        media.write_bytes(data)
        self.outbox.add_answer(
            FinishedAnswer(
                answer_id=answer_id,
                interview_id=interview_id,
                question_id=question["id"],
                attempt=1,
                media_path=media,
                media_sha256=hashlib.sha256(data).hexdigest(),
                duration_seconds=2.0,
                recorded_at=datetime.now(UTC),
                transcript=Transcript(text="I would start with the logs.", language="en", model="tiny.en"),
                metrics={},
            )
        )
        return answer_id

    def sync(self, local_retention: LocalRetention | None = None) -> None:
        self.client.headers["Authorization"] = self.caller.headers["Authorization"]
        try:
            report = SyncLoop(self.outbox, self.client, local_retention=local_retention).run_once()
        finally:
            del self.client.headers["Authorization"]
        assert report.rejected == [], self.outbox.counts()


def _quiet_since(client: TestClient, interview_id: str, when: datetime) -> None:
    """The station's last activity for this interview happened at `when`."""
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        session.execute(update(Interview).where(Interview.id == interview_id).values(updated_at=when))
        session.execute(
            update(Upload)
            .where(Upload.interview_id == interview_id)
            .values(created_at=when, completed_at=when)
        )
        session.execute(
            update(Response)
            .where(Response.interview_id == interview_id)
            .values(created_at=when, media_uploaded_at=when)
        )


def _status(client: TestClient, interview_id: str) -> str:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return session.get_one(Interview, interview_id).status


def _actions(client: TestClient, interview_id: str) -> list[tuple[str, str]]:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.target_id == interview_id).order_by(AuditEntry.created_at)
        ).all()
        return [(e.action, e.actor_type) for e in entries]


def test_an_abandoned_interview_expires_counts_for_retention_and_a_late_station_loses_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    tenant = make_tenant(client)
    saved = client.patch(
        "/api/v1/organization", json={"settings": {"retention_days": 30}}, headers=tenant.admin.headers
    )
    assert saved.status_code == 200, saved.text
    question_set = str(make_question_set(client, tenant.hr, questions=2)["id"])
    station = StationAt(client, enroll_station(client, tenant), tmp_path / "station")
    walked_away = station.open(tenant, question_set, "Walked Away")
    first = station.answer(walked_away, 0)
    still_going = station.open(tenant, question_set, "Still Going")
    recent_upload = station.open(tenant, question_set, "Slow Upload")
    station.answer(recent_upload, 0)
    station.sync()
    abandoned_id, going_id, uploading_id = (
        str(p["interview_id"]) for p in (walked_away, still_going, recent_upload)
    )
    long_ago = utcnow() - QUIET
    _quiet_since(client, abandoned_id, long_ago)
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        session.execute(update(Interview).where(Interview.id == uploading_id).values(updated_at=long_ago))

    expire_abandoned_interviews(client.app.state.queue.context)  # type: ignore[attr-defined]

    assert _status(client, abandoned_id) == "expired"
    assert _status(client, going_id) == "in_progress"
    assert _status(client, uploading_id) == "in_progress"  # its answer arrived recently
    assert ("interview.abandoned", "system") in _actions(client, abandoned_id)
    detail = client.get(f"/api/v1/interviews/{abandoned_id}", headers=tenant.hr.headers)
    assert detail.status_code == 200 and detail.json()["status"] == "expired"
    [kept] = detail.json()["responses"]  # the answer uploaded before stays reviewable
    media = client.get(f"/api/v1/responses/{kept['id']}/media", headers=tenant.hr.headers)
    assert media.status_code == 200 and len(media.content) == 3000
    again = expire_abandoned_interviews  # a second sweep changes nothing and adds no entry
    again(client.app.state.queue.context)  # type: ignore[attr-defined]
    assert _actions(client, abandoned_id).count(("interview.abandoned", "system")) == 1

    # Retention counts the interview as ended when it was marked abandoned, not when it went quiet.
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        candidate_id = str(walked_away["candidate_id"])
        due_now = candidates_past_retention(session, organization_id=tenant.organization_id)
        due_later = candidates_past_retention(
            session, organization_id=tenant.organization_id, now=utcnow() + timedelta(days=31)
        )
    assert candidate_id not in {d.candidate_id for d in due_now}
    assert candidate_id in {d.candidate_id for d in due_later}

    # Days later the station comes back with the second answer and the completion report.
    second = station.answer(walked_away, 1)
    queue_interview_completed(station.outbox, interview_id=abandoned_id)
    station.sync()

    assert station.outbox.counts().waiting == 0 and station.outbox.counts().rejected == 0
    assert _status(client, abandoned_id) == "completed"
    actions = [a for a, _ in _actions(client, abandoned_id)]
    assert actions.index("interview.abandoned") < actions.index("interview.resumed")
    detail = client.get(f"/api/v1/interviews/{abandoned_id}", headers=tenant.hr.headers).json()
    assert len(detail["responses"]) == 2
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        answers = set(
            session.scalars(select(Response.client_answer_id).where(Response.interview_id == abandoned_id))
        )
    assert answers == {first, second}

    # With everything delivered, the station's own retention (here: none) clears its copy.
    immediate = LocalRetention(open_station_db(station.folder / "station.db"), retention=timedelta(0))
    station.sync(local_retention=immediate)
    rows = (
        open_station_db(station.folder / "station.db")
        .execute(
            "SELECT personal_data_removed_at FROM outbox_answers WHERE interview_id = ?", (abandoned_id,)
        )
        .fetchall()
    )
    assert len(rows) == 2 and all(r[0] is not None for r in rows)
    assert not list((station.folder / "media").glob(f"{abandoned_id[:8]}-*"))


def test_a_cancelled_or_reviewer_expired_interview_does_not_reopen(
    client: TestClient, tmp_path: Path
) -> None:
    tenant = make_tenant(client)
    question_set = str(make_question_set(client, tenant.hr)["id"])
    station = StationAt(client, enroll_station(client, tenant), tmp_path / "station")
    plan = station.open(tenant, question_set, "Cancelled Later")
    interview_id = str(plan["interview_id"])
    station.sync()
    cancelled = client.post(
        f"/api/v1/interviews/{interview_id}/status",
        json={"status": "cancelled", "reason": "withdrew"},
        headers=tenant.hr.headers,
    )
    assert cancelled.status_code == 200, cancelled.text

    refused = client.post(
        f"/api/v1/station/interviews/{interview_id}/progress",
        json={"status": "completed"},
        headers=station.caller.headers,
    )

    assert refused.status_code == 409, refused.text
    assert _status(client, interview_id) == "cancelled"
    assert "interview.resumed" not in [a for a, _ in _actions(client, interview_id)]
