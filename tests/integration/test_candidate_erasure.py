"""Right to erasure and retention purges, on SQLite and PostgreSQL with the local media folder: files
really leave the disk, rows are scrubbed, the candidate leaves every list, and a storage failure midway
is finished by a retry or by the purge."""

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from sync_server.ai.runtime import ai_services
from sync_server.app import create_app
from sync_server.candidates.erasure import unfinished_erasures
from sync_server.candidates.jobs import purge_past_retention
from sync_server.candidates.retention import purge
from sync_server.config import ServerSettings
from sync_server.contract import Transcript
from sync_server.matching.embedder import DIMENSIONS
from sync_server.matching.passages import Passage
from sync_server.models import (
    AuditEntry,
    Candidate,
    CVProfile,
    Interview,
    Invite,
    Response,
    Review,
    Score,
    Upload,
    utcnow,
)
from sync_server.scoring.jobs import store_score_unless_people_only
from sync_server.scoring.schemas import AnswerScore
from sync_server.storage import ObjectStorage, StorageError
from tests.support.server import Caller, Tenant, enroll_station, make_question_set, make_tenant

UPLOADS = "/api/v1/uploads/"
TUS = {"Tus-Resumable": "1.0.0"}
NAME, EMAIL = "Ada Lovelace", "ada.lovelace@example.org"
REASON = "Ada Lovelace asked by email (ada.lovelace@example.org) to delete everything"


@pytest.fixture
def client(server_settings: ServerSettings) -> Iterator[TestClient]:
    # No background worker: the hourly purge must not run by itself while a test sets up old data.
    settings = server_settings.model_copy(update={"embedded_worker": False})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _tus(client: TestClient, station: Caller, data: bytes, fields: dict[str, str], *, send: int) -> str:
    """Create an upload of `data` and send its first `send` bytes; returns the upload id."""
    meta = {**fields, "sha256": hashlib.sha256(data).hexdigest()}
    created = client.post(
        UPLOADS,
        headers={
            **TUS,
            **station.headers,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": ",".join(f"{k} {_b64(v)}" for k, v in meta.items()),
        },
    )
    assert created.status_code == 201, created.text
    location = created.headers["Location"]
    sent = client.patch(
        location,
        headers={
            **TUS,
            **station.headers,
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": "0",
        },
        content=data[:send],
    )
    assert sent.status_code == 204, sent.text
    return location.rstrip("/").rsplit("/", 1)[-1]


def _candidate(client: TestClient, tenant: Tenant, name: str = NAME, email: str = EMAIL) -> str:
    created = client.post(
        "/api/v1/candidates",
        data={"full_name": name, "email": email},
        files={"cv": ("ada.txt", f"{name}\nPython, PostgreSQL, 6 years.".encode(), "text/plain")},
        headers=tenant.hr.headers,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def _interviewed_candidate(client: TestClient, tenant: Tenant) -> dict[str, str]:
    """A candidate with a CV, an interview opened at a station with one answer (video and transcript
    uploaded over tus), a second answer half uploaded, an AI score, a review with free text, and an
    unused second invite."""
    station = enroll_station(client, tenant)
    question_set = make_question_set(client, tenant.hr)
    candidate_id = _candidate(client, tenant)
    invite = client.post(
        "/api/v1/invites",
        json={
            "candidate_id": candidate_id,
            "question_set_id": question_set["id"],
            "accommodations": {"time_multiplier": 1.5},
        },
        headers=tenant.hr.headers,
    ).json()
    unused = client.post(
        "/api/v1/invites",
        json={"candidate_id": candidate_id, "question_set_id": question_set["id"]},
        headers=tenant.hr.headers,
    ).json()
    plan = client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    ).json()
    q1, q2 = (q["id"] for q in plan["questions"])
    answer = {"interview": invite["interview_id"], "question": q1, "attempt": "1", "answer_id": "a-1"}
    video = b"\x00\x01 video of Ada answering " * 200
    _tus(client, station, video, {**answer, "kind": "video", "filename": "q1.mp4"}, send=len(video))
    transcript = json.dumps(
        {"text": "I am Ada Lovelace and I fixed the bug.", "language": "en", "model": "tiny.en"}
    ).encode()
    _tus(client, station, transcript, {**answer, "kind": "transcript"}, send=len(transcript))
    second = {"interview": invite["interview_id"], "question": q2, "attempt": "1", "answer_id": "a-2"}
    half = _tus(client, station, video, {**second, "kind": "video", "filename": "q2.mp4"}, send=1000)
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        response = session.scalars(select(Response).where(Response.client_answer_id == "a-1")).one()
        assert response.transcript is not None and response.media_object_key is not None
        session.add(
            Score(
                organization_id=tenant.organization_id,
                response_id=response.id,
                version=1,
                provider="local",
                model="m",
                prompt_version="p",
                status="scored",
                overall=4.0,
                evidence=[{"criterion": "clarity", "quote": "I am Ada Lovelace", "start": 0.0}],
                feedback="Ada Lovelace explained the fix clearly.",
            )
        )
        response_id = response.id
    review = client.put(
        f"/api/v1/responses/{response_id}/review",
        json={
            "rating": 4,
            "comment": "Ada was great",
            "override_score": 4.5,
            "override_reason": "Ada Lovelace knows the domain",
        },
        headers=tenant.hr.headers,
    )
    assert review.status_code == 200, review.text
    return {
        "candidate_id": candidate_id,
        "interview_id": invite["interview_id"],
        "unused_invite_id": unused["id"],
        "unused_code": unused["access_code"],
        "unused_interview_id": unused["interview_id"],
        "response_id": response_id,
        "half_upload_id": half,
        "station": station.headers["Authorization"],
    }


def _files_under(media_dir: Path, organization_id: str) -> list[str]:
    """Every stored object and staged upload of the organization in the local media folder."""
    finished = [str(p) for p in (media_dir / organization_id).rglob("*") if p.is_file()]
    staged = [p.name for p in (media_dir / ".incoming").glob(f"{organization_id}__*")]
    return finished + staged


def _index_cv(settings: ServerSettings, organization_id: str, candidate_id: str, seed: int) -> None:
    """CV vectors as the screening job stores them (random unit vectors: no model needed)."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(2, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ai_services(settings).vector_store.replace_cv(
        organization_id=organization_id,
        candidate_id=candidate_id,
        cv_hash=f"h{seed}",
        passages=[Passage("Python developer", "experience"), Passage("PostgreSQL", "skills")],
        passage_vectors=vectors,
        profile_vector=vectors.mean(axis=0),
    )


def test_erase_deletes_files_scrubs_rows_hides_everywhere_and_is_idempotent(client: TestClient) -> None:
    settings: ServerSettings = client.app.state.settings  # type: ignore[attr-defined]
    tenant, other = make_tenant(client), make_tenant(client)
    world = _interviewed_candidate(client, tenant)
    candidate_id = world["candidate_id"]
    kept_id = _candidate(client, tenant, "Grace Hopper", "grace@example.org")
    others_id = _candidate(client, other, "Alan Turing", "alan@example.org")
    store = ai_services(settings).vector_store
    for seed, cid in enumerate((candidate_id, kept_id)):
        _index_cv(settings, tenant.organization_id, cid, seed)
        with client.app.state.db.session() as session:  # type: ignore[attr-defined]
            session.add(
                CVProfile(organization_id=tenant.organization_id, candidate_id=cid, skills=["Python"])
            )
    ours = [f for f in _files_under(settings.media_dir, tenant.organization_id) if kept_id not in f]
    assert len(ours) == 4, ours  # the CV, the video, the transcript and the half-sent second answer
    path = f"/api/v1/candidates/{candidate_id}/erase"

    # Nobody outside the candidate's organization, no station and no anonymous caller may erase.
    assert client.post(path, json={"reason": "test"}).status_code == 401
    station = {"Authorization": world["station"]}
    assert client.post(path, json={"reason": "test"}, headers=station).status_code == 403
    for outsider in (other.hr, other.admin):
        refused = client.post(path, json={"reason": "test"}, headers=outsider.headers)
        assert refused.status_code == 404 and refused.json()["error"] == "NotFound"
    assert client.post(path, json={"reason": "  "}, headers=tenant.hr.headers).status_code == 422
    assert client.get(f"/api/v1/candidates/{candidate_id}", headers=tenant.hr.headers).status_code == 200

    erased = client.post(path, json={"reason": REASON}, headers=tenant.hr.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["already_erased"] is False
    assert erased.json()["files_deleted"] >= 4

    # Files: the candidate's objects and staged bytes are gone; the colleague's CV is not.
    left = _files_under(settings.media_dir, tenant.organization_id)
    assert len(left) == 1 and kept_id in left[0], left
    assert _files_under(settings.media_dir, other.organization_id)
    # Rows: scrubbed tombstone, no answers, scores, reviews, uploads or profile; codes revoked.
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        row = session.get_one(Candidate, candidate_id)
        assert row.erased_at is not None and row.full_name == "" and row.email is None
        assert (row.cv_object_key, row.cv_filename, row.cv_text, row.cv_sha256) == (None, None, None, None)
        interview_ids = [world["interview_id"], world["unused_interview_id"]]
        for model, column in ((Response, Response.interview_id), (Upload, Upload.interview_id)):
            assert session.scalar(select(func.count(model.id)).where(column.in_(interview_ids))) == 0
        for model in (Score, Review):
            assert (
                session.scalar(select(func.count(model.id)).where(model.response_id == world["response_id"]))
                == 0
            )
        assert (
            session.scalar(select(func.count(CVProfile.id)).where(CVProfile.candidate_id == candidate_id))
            == 0
        )
        assert session.scalar(select(func.count(CVProfile.id)).where(CVProfile.candidate_id == kept_id)) == 1
        interviews = session.scalars(select(Interview).where(Interview.id.in_(interview_ids))).all()
        assert {i.status for i in interviews} == {"cancelled"}
        assert all(i.accommodations == {} for i in interviews)
        unused = session.get_one(Invite, world["unused_invite_id"])
        assert unused.revoked_at is not None
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.organization_id == tenant.organization_id)
        ).all()
        entry = next(e for e in audit if e.action == "candidate.erased")
        assert entry.actor_id == tenant.hr.id and entry.target_id == candidate_id
        assert entry.details["reason"].startswith("[candidate] asked by email ([candidate])")
        everything = json.dumps([e.details for e in audit])
        for personal in ("Ada", "Lovelace", EMAIL, "knows the domain"):
            assert personal not in everything
    # Vectors: the erased CV is gone from the index, the colleague's is not.
    assert store.profile_vector(organization_id=tenant.organization_id, candidate_id=candidate_id) is None
    kept_vector = store.profile_vector(organization_id=tenant.organization_id, candidate_id=kept_id)
    assert kept_vector is not None
    neighbours = store.nearest_profiles(organization_id=tenant.organization_id, vector=kept_vector, limit=5)
    assert [n.candidate_id for n in neighbours] == [kept_id]

    # Lists, searches and reads no longer show the candidate or their answers.
    hr = tenant.hr.headers
    listed = client.get("/api/v1/candidates", headers=hr).json()["items"]
    assert [c["id"] for c in listed] == [kept_id]
    assert client.get("/api/v1/candidates", params={"q": "Ada"}, headers=hr).json()["total"] == 0
    assert client.get(f"/api/v1/candidates/{candidate_id}", headers=hr).status_code == 404
    assert client.get(f"/api/v1/candidates/{candidate_id}/profile", headers=hr).status_code == 404
    assert client.get(f"/api/v1/candidates/{candidate_id}/cv", headers=hr).status_code == 404
    assert (
        client.get("/api/v1/interviews", params={"candidate_id": candidate_id}, headers=hr).json()["total"]
        == 0
    )
    assert client.get(f"/api/v1/interviews/{world['interview_id']}", headers=hr).status_code == 404
    assert client.get(f"/api/v1/responses/{world['response_id']}/media", headers=hr).status_code == 404
    # The unused access code stops opening anything, and no new invite can be made.
    opened = client.post(
        "/api/v1/station/sessions", json={"access_code": world["unused_code"]}, headers=station
    )
    assert opened.status_code == 404, opened.text
    reinvited = client.post("/api/v1/invites", json={"candidate_id": candidate_id}, headers=hr)
    assert reinvited.status_code == 400, reinvited.text

    # Erasing again is harmless: nothing left to delete, no second audit entry. Admins may too.
    again = client.post(path, json={"reason": "again"}, headers=tenant.admin.headers)
    assert again.status_code == 200, again.text
    assert again.json()["already_erased"] is True and again.json()["files_deleted"] == 0
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        erasures = session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "candidate.erased", AuditEntry.target_id == candidate_id
            )
        )
        assert erasures == 1
        assert unfinished_erasures(session, organization_id=tenant.organization_id) == []
    # The other organization's candidate was never touched.
    assert client.get(f"/api/v1/candidates/{others_id}", headers=other.hr.headers).status_code == 200


class _FailingDeletes:
    """The real storage, except that deleting finished objects fails (an object store outage)."""

    def __init__(self, storage: ObjectStorage) -> None:
        self._storage = storage

    def __getattr__(self, name: str) -> object:
        return getattr(self._storage, name)

    def delete(self, key: str) -> None:
        raise StorageError(f"storage unavailable for {key}")


def test_a_storage_failure_midway_is_reported_and_the_purge_finishes_it(client: TestClient) -> None:
    settings: ServerSettings = client.app.state.settings  # type: ignore[attr-defined]
    tenant = make_tenant(client)
    world = _interviewed_candidate(client, tenant)
    real = client.app.state.storage  # type: ignore[attr-defined]
    client.app.state.storage = _FailingDeletes(real)  # type: ignore[attr-defined]
    try:
        failed = client.post(
            f"/api/v1/candidates/{world['candidate_id']}/erase",
            json={"reason": "Asked for deletion"},
            headers=tenant.hr.headers,
        )
    finally:
        client.app.state.storage = real  # type: ignore[attr-defined]
    assert failed.status_code == 503, failed.text
    assert failed.json()["error"] == "ServiceUnavailable"
    assert "could not be deleted yet" in failed.json()["detail"]
    # The personal data in the database is gone at once, and the candidate is hidden already.
    assert (
        client.get(f"/api/v1/candidates/{world['candidate_id']}", headers=tenant.hr.headers).status_code
        == 404
    )
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        response = session.get_one(Response, world["response_id"])
        assert response.transcript is None and response.media_object_key is not None
        assert unfinished_erasures(session, organization_id=tenant.organization_id) == [
            (tenant.organization_id, world["candidate_id"])
        ]
    assert _files_under(settings.media_dir, tenant.organization_id)
    # A score computed while the erasure ran is discarded, not stored beside the erased candidate.
    late = AnswerScore(status="scored", overall=4.0, provider="local", model="m", prompt_version="p")
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        stored = store_score_unless_people_only(
            session,
            organization_id=tenant.organization_id,
            interview_id=world["interview_id"],
            response_id=world["response_id"],
            score=late,
        )
        assert stored is None
        assert session.scalars(select(Score).where(Score.response_id == world["response_id"])).all() == []

    purge_past_retention(client.app.state.queue.context)  # type: ignore[attr-defined]

    assert _files_under(settings.media_dir, tenant.organization_id) == []
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        assert session.get(Response, world["response_id"]) is None
        assert unfinished_erasures(session, organization_id=tenant.organization_id) == []


def _backdate(client: TestClient, interview_id: str, *, status: str, days: int) -> None:
    when = utcnow() - timedelta(days=days)
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        session.execute(
            update(Interview)
            .where(Interview.id == interview_id)
            .values(status=status, completed_at=when if status == "completed" else None, updated_at=when)
        )
        session.execute(update(Invite).where(Invite.interview_id == interview_id).values(expires_at=when))


def _invited(client: TestClient, tenant: Tenant, question_set_id: str, name: str) -> tuple[str, str]:
    response = client.post("/api/v1/candidates", data={"full_name": name}, headers=tenant.hr.headers)
    candidate_id = response.json()["id"]
    invite = client.post(
        "/api/v1/invites",
        json={"candidate_id": candidate_id, "question_set_id": question_set_id},
        headers=tenant.hr.headers,
    ).json()
    return candidate_id, invite["interview_id"]


def test_purge_erases_only_candidates_past_their_organizations_retention(client: TestClient) -> None:
    settings: ServerSettings = client.app.state.settings  # type: ignore[attr-defined]
    keeping, unlimited = make_tenant(client), make_tenant(client)
    saved = client.patch(
        "/api/v1/organization", json={"settings": {"retention_days": 30}}, headers=keeping.admin.headers
    )
    assert saved.status_code == 200, saved.text
    sets = {t.organization_id: str(make_question_set(client, t.hr)["id"]) for t in (keeping, unlimited)}
    ids: dict[str, str] = {}
    plan = {  # name: (tenant, [(status, days ago), ...])
        "old-completed": (keeping, [("completed", 40)]),
        "old-code-expired": (keeping, [("invited", 45)]),
        "old-cancelled": (keeping, [("cancelled", 31)]),
        "old-declined": (keeping, [("declined", 35)]),
        "recent-declined": (keeping, [("declined", 5)]),
        "recent-completed": (keeping, [("completed", 10)]),
        "code-still-valid": (keeping, [("invited", -5)]),
        "old-in-progress": (keeping, [("in_progress", 90)]),
        "one-old-one-recent": (keeping, [("completed", 60), ("expired", 3)]),
        "no-retention-org": (unlimited, [("completed", 400)]),
    }
    for name, (tenant, interviews) in plan.items():
        candidate_id = ""
        for status, days in interviews:
            if candidate_id:
                interview_id = client.post(
                    "/api/v1/invites",
                    json={"candidate_id": candidate_id, "question_set_id": sets[tenant.organization_id]},
                    headers=tenant.hr.headers,
                ).json()["interview_id"]
            else:
                candidate_id, interview_id = _invited(client, tenant, sets[tenant.organization_id], name)
            _backdate(client, interview_id, status=status, days=days)
        ids[name] = candidate_id
    never_invited = client.post("/api/v1/candidates", data={"full_name": "x"}, headers=keeping.hr.headers)
    ids["never-invited"] = never_invited.json()["id"]
    due_names = {"old-completed", "old-code-expired", "old-cancelled", "old-declined"}

    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        report = purge(session, settings, client.app.state.storage, dry_run=True)  # type: ignore[attr-defined]
    mine = set(ids.values())
    assert {d.candidate_id for d in report.due} & mine == {ids[n] for n in due_names}
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        erased = session.scalar(
            select(func.count(Candidate.id)).where(Candidate.id.in_(mine), Candidate.erased_at.is_not(None))
        )
        assert erased == 0  # a dry run changes nothing

    purge_past_retention(client.app.state.queue.context)  # type: ignore[attr-defined]

    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        rows = {c.id: c for c in session.scalars(select(Candidate).where(Candidate.id.in_(mine)))}
        assert {n for n, cid in ids.items() if rows[cid].erased_at is not None} == due_names
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "candidate.erased", AuditEntry.target_id.in_([ids[n] for n in due_names])
            )
        ).all()
        assert {(e.actor_type, e.details["trigger"]) for e in entries} == {("system", "retention")}
        assert all("30 days" in e.details["reason"] for e in entries)


def test_cli_purge_dry_run_changes_nothing_then_purges_and_erase_erases(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sync_server.cli import app as cli
    from tests.support.server import migrated_settings

    settings = migrated_settings(tmp_path, None).model_copy(update={"embedded_worker": False})
    with TestClient(create_app(settings)) as client:
        tenant = make_tenant(client)
        client.patch(
            "/api/v1/organization", json={"settings": {"retention_days": 7}}, headers=tenant.admin.headers
        )
        question_set = str(make_question_set(client, tenant.hr)["id"])
        old, interview_id = _invited(client, tenant, question_set, "Old Candidate")
        _backdate(client, interview_id, status="completed", days=8)
        recent = _candidate(client, tenant, "Recent Candidate", "recent@example.org")
    runner = CliRunner()
    env = {"INTERVIEW_SERVER_DATA_DIR": str(tmp_path)}

    dry = runner.invoke(cli, ["purge", "--dry-run", "--org", tenant.organization_id], env=env)
    assert dry.exit_code == 0, dry.output
    assert f"would erase candidate {old} of " in dry.output
    assert "more than 7 days ago" in dry.output and "nothing was changed" in dry.output
    assert recent not in dry.output
    again = runner.invoke(cli, ["purge", "--dry-run"], env=env)
    assert f"would erase candidate {old}" in again.output  # the dry run really changed nothing

    done = runner.invoke(cli, ["purge", "--org", tenant.organization_id], env=env)
    assert done.exit_code == 0, done.output
    assert f"erased candidate {old}: 0 files deleted" in done.output
    assert "purge: 1 erased, 0 incomplete" in done.output

    refused = runner.invoke(
        cli, ["erase", "--org", tenant.organization_id, "--candidate", recent, "--reason", "x"], env=env
    )
    assert refused.exit_code == 2 and "--reason" in refused.output
    erased = runner.invoke(
        cli,
        ["erase", "--org", tenant.organization_id, "--candidate", recent, "--reason", "Asked by phone"],
        env=env,
    )
    assert erased.exit_code == 0, erased.output
    assert f"erased candidate {recent}: 1 files deleted" in erased.output
    assert list((settings.media_dir / tenant.organization_id).rglob("*.txt")) == []
    missing = runner.invoke(
        cli, ["erase", "--org", tenant.organization_id, "--candidate", "nope", "--reason", "why not"], env=env
    )
    assert missing.exit_code == 1 and "No candidate" in missing.output


def test_a_reason_with_control_characters_is_refused_and_nothing_is_erased(client: TestClient) -> None:
    """PostgreSQL cannot store NUL in text or JSON: such a reason is a clear 422, never a 500."""
    tenant = make_tenant(client)
    candidate_id = _candidate(client, tenant)
    refused = client.post(
        f"/api/v1/candidates/{candidate_id}/erase",
        json={"reason": "Asked by\x00 email"},
        headers=tenant.hr.headers,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "ValidationError"
    kept = client.get(f"/api/v1/candidates/{candidate_id}", headers=tenant.hr.headers)
    assert kept.status_code == 200 and kept.json()["full_name"] == NAME


def test_a_station_drops_an_erased_candidates_unsent_answers_after_its_retention(
    client: TestClient, tmp_path: Path
) -> None:
    """The station was offline while HR erased the candidate: the server says CandidateErased to its
    answer and its completion report, and the station's own retention then removes the recording."""
    import os
    from datetime import UTC, datetime

    from desktop_app.store.answers import FinishedAnswer
    from desktop_app.store.database import open_station_db
    from desktop_app.store.local_retention import LocalRetention
    from desktop_app.store.outbox import Outbox
    from desktop_app.sync.loop import SyncLoop
    from desktop_app.sync.sessions import queue_interview_completed
    from sync_server.models import Question

    tenant = make_tenant(client)
    world = _interviewed_candidate(client, tenant)
    station = {"Authorization": world["station"]}
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        interview = session.get_one(Interview, world["interview_id"])
        question_id = session.scalars(
            select(Question.id).where(Question.question_set_id == interview.question_set_id)
        ).first()
    assert question_id is not None
    erased = client.post(
        f"/api/v1/candidates/{world['candidate_id']}/erase",
        json={"reason": "asked"},
        headers=tenant.hr.headers,
    )
    assert erased.status_code == 200, erased.text

    media = tmp_path / "station" / "media" / world["interview_id"] / "late.mp4"
    media.parent.mkdir(parents=True)
    data = os.urandom(4096)
    media.write_bytes(data)
    outbox = Outbox.open(tmp_path / "station" / "station.db", retention=timedelta(days=7))
    outbox.add_answer(
        FinishedAnswer(
            answer_id="late-1",
            interview_id=world["interview_id"],
            question_id=question_id,
            attempt=2,
            media_path=media,
            media_sha256=hashlib.sha256(data).hexdigest(),
            duration_seconds=2.0,
            recorded_at=datetime.now(UTC),
            transcript=None,
            metrics={},
        )
    )
    # An answer whose recording reached the server before the erasure, its transcript not.
    sent = media.with_name("sent.mp4")
    sent.write_bytes(data)
    outbox.add_answer(
        FinishedAnswer(
            answer_id="sent-1",
            interview_id=world["interview_id"],
            question_id=question_id,
            attempt=3,
            media_path=sent,
            media_sha256=hashlib.sha256(data).hexdigest(),
            duration_seconds=2.0,
            recorded_at=datetime.now(UTC),
            transcript=Transcript(text="I am Ada Lovelace.", language="en", model="tiny.en"),
            metrics={},
        )
    )
    outbox.confirm_media("sent-1", world["response_id"])
    queue_interview_completed(outbox, interview_id=world["interview_id"])
    client.headers.update(station)
    try:
        report = SyncLoop(outbox, client).run_once()
    finally:
        del client.headers["Authorization"]

    assert set(report.rejected) >= {"late-1", "sent-1"}
    assert outbox.counts().rejected == 2 and outbox.pending_in_order() == []
    refused = client.post(
        f"/api/v1/station/interviews/{world['interview_id']}/progress",
        json={"status": "completed"},
        headers=station,
    )
    assert refused.status_code == 410 and refused.json()["error"] == "CandidateErased", refused.text
    db = open_station_db(tmp_path / "station" / "station.db")
    row = db.execute(
        "SELECT rejected_candidate_erased FROM outbox_answers WHERE answer_id = 'late-1'"
    ).fetchone()
    assert row[0] == 1  # told apart from refusals staff must look at
    retention = LocalRetention(db, retention=timedelta(days=7))
    assert retention.purge().interviews == [] and media.exists()  # within the station's retention
    assert retention.purge(now=datetime.now(UTC) + timedelta(days=8)).interviews == [world["interview_id"]]
    assert not media.exists() and not sent.exists()  # answers and report refused: the interview's data went
