"""The candidate's "people only" choice on a real server: their answers never reach an AI provider (no
score, no summary, no re-score, skipped by the sweep, and an already-queued job does nothing), while
an ordinary interview is still scored. OpenAI is the fake LLM server; the local scorer is real."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from sync_server.app import create_app
from sync_server.contract import StationInterviewUpdate
from sync_server.deps import AuthenticatedStation
from sync_server.models import Interview, InterviewSummary, Response, Score, new_id, utcnow
from sync_server.scoring import jobs
from sync_server.scoring.schemas import AnswerScore
from sync_server.station_sessions.service import report_progress
from tests.ai.test_ai_server import GOOD, VAGUE, wait_for
from tests.support.server import Caller, Tenant, enroll_station, make_invite, make_tenant
from tests.support.transcripts import make_transcript


def _consented_interview(client: TestClient, tenant: Tenant, *, people_only: bool) -> tuple[Caller, str, str]:
    """An interview opened at a station, consent reported with the choice, one answer without transcript."""
    station = enroll_station(client, tenant)
    invite = make_invite(client, tenant.hr)
    plan = client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    ).json()
    consent = client.post(
        f"/api/v1/station/interviews/{invite['interview_id']}/progress",
        json={"status": "in_progress", "consent_version": "default-1", "people_only": people_only},
        headers=station.headers,
    )
    assert consent.status_code == 200, consent.text
    assert consent.json()["people_only"] is people_only
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        row = Response(
            organization_id=tenant.organization_id,
            interview_id=invite["interview_id"],
            question_id=plan["questions"][0]["id"],
            attempt=1,
            client_answer_id=new_id(),
            recorded_at=utcnow(),
        )
        session.add(row)
        session.flush()
        response_id = row.id
    return station, invite["interview_id"], response_id


def _send_transcript(client: TestClient, station: Caller, response_id: str, text: str = GOOD) -> None:
    put = client.put(
        f"/api/v1/responses/{response_id}/transcript",
        json=make_transcript(text).model_dump(mode="json"),
        headers=station.headers,
    )
    assert put.status_code == 200, put.text


def _rows(client: TestClient, model: type[Score] | type[InterviewSummary], column, value: str) -> int:  # type: ignore[no-untyped-def]
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count(model.id)).where(column == value)) or 0)


@pytest.mark.parametrize("backend", ["postgres"])
def test_people_only_answers_never_reach_an_ai_provider(server_settings, fake_llm, monkeypatch):
    settings = server_settings.model_copy(
        update={
            "ai_providers": "openai,local",
            "openai_api_key": SecretStr("sk-test-not-a-real-key"),
            "openai_base_url": fake_llm.openai_base_url,
            "ai_max_attempts": 1,
            "ai_retry_base_seconds": 0.01,
        }
    )
    with TestClient(create_app(settings)) as client:
        tenant = make_tenant(client)
        private_station, private_interview, private_answer = _consented_interview(
            client, tenant, people_only=True
        )
        station, interview, answer = _consented_interview(client, tenant, people_only=False)
        _send_transcript(client, private_station, private_answer, VAGUE)
        _send_transcript(client, station, answer, GOOD)
        for interview_id in (private_interview, interview):
            done = client.post(
                f"/api/v1/station/interviews/{interview_id}/progress",
                json={"status": "completed"},
                headers=private_station.headers if interview_id == private_interview else station.headers,
            )
            assert done.status_code == 200, done.text

        # The ordinary interview: OpenAI is asked (the fake answers 500), the local scorer scores, a
        # summary follows. The people-only answer's job ran too, and sent nothing anywhere.
        wait_for(lambda: _rows(client, InterviewSummary, InterviewSummary.interview_id, interview) == 1)
        client.app.state.queue.join(60)
        asked = fake_llm.calls("openai")
        assert asked and all(GOOD[:40] in str(call.body) for call in asked)
        assert not any(VAGUE[:40] in str(call.body) for call in fake_llm.requests)

        # An already-queued job for the people-only answer does nothing, even as a re-score.
        jobs.score_response(
            client.app.state.queue.context,
            organization_id=tenant.organization_id,
            response_id=private_answer,
            rescore=True,
        )
        jobs.summarize_interview(
            client.app.state.queue.context,
            organization_id=tenant.organization_id,
            interview_id=private_interview,
        )
        assert len(fake_llm.requests) == len(asked)
        assert _rows(client, Score, Score.response_id, private_answer) == 0
        assert _rows(client, InterviewSummary, InterviewSummary.interview_id, private_interview) == 0

        headers = tenant.hr.headers
        refused = client.post(f"/api/v1/responses/{private_answer}/rescore", headers=headers)
        assert refused.status_code == 409
        assert refused.json() == {
            "error": "Conflict",
            "detail": "The candidate asked to be evaluated by people only. No AI scores their answers.",
        }
        missing = client.get(f"/api/v1/responses/{private_answer}/score", headers=headers)
        assert missing.status_code == 404 and "people only" in missing.json()["detail"]
        summary = client.get(f"/api/v1/interviews/{private_interview}/summary", headers=headers)
        assert summary.status_code == 404 and "people only" in summary.json()["detail"]
        shown = client.get(f"/api/v1/interviews/{private_interview}", headers=headers).json()
        assert shown["people_only"] is True and shown["consent_version"] == "default-1"
        assert client.get(f"/api/v1/interviews/{interview}", headers=headers).json()["people_only"] is False

        # The sweep re-queues lost scoring work, but never the people-only answer.
        with client.app.state.db.session() as session:
            for response_id in (private_answer, answer):
                session.get(Response, response_id).created_at = utcnow() - timedelta(minutes=10)
            session.execute(Score.__table__.delete().where(Score.response_id == answer))
        swept: list[str] = []
        monkeypatch.setattr(jobs, "request_scoring", lambda **kwargs: swept.append(kwargs["response_id"]))
        jobs.sweep(client.app.state.queue.context)
        assert answer in swept and private_answer not in swept

        audit = client.get(
            "/api/v1/audit-log", params={"target_id": private_interview}, headers=tenant.admin.headers
        ).json()
        actions = [e["action"] for e in audit["items"]]
        assert {"interview.consent_given", "interview.people_only"} <= set(actions)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_people_only_choice_that_arrives_late_removes_what_ai_made(server_client):
    """A transcript scored before the choice reached the server (an older station): the scores and the
    summary go, and nothing is scored again."""
    client = server_client
    tenant = make_tenant(client)
    station, interview, answer = _consented_interview(client, tenant, people_only=False)
    _send_transcript(client, station, answer)
    progress = f"/api/v1/station/interviews/{interview}/progress"
    client.post(progress, json={"status": "completed"}, headers=station.headers)
    wait_for(lambda: _rows(client, InterviewSummary, InterviewSummary.interview_id, interview) == 1)

    late = client.post(
        progress,
        json={"status": "completed", "people_only": True},
        headers=station.headers,
    )
    assert late.status_code == 200 and late.json()["people_only"] is True
    assert _rows(client, Score, Score.response_id, answer) == 0
    assert _rows(client, InterviewSummary, InterviewSummary.interview_id, interview) == 0
    # once chosen it stays: a later report without it (or with false) does not bring AI back
    again = client.post(progress, json={"status": "completed", "people_only": False}, headers=station.headers)
    assert again.json()["people_only"] is True
    audit = client.get(
        "/api/v1/audit-log", params={"target_id": interview}, headers=tenant.admin.headers
    ).json()
    removed = [e for e in audit["items"] if e["action"] == "interview.people_only"]
    assert len(removed) == 1 and removed[0]["details"]["ai_results_removed"] == 2


NOT_ENOUGH = AnswerScore(
    status="not_enough_to_score",
    reason="Too short to judge.",
    provider="local",
    model="m",
    prompt_version="v1",
)


@pytest.mark.parametrize("backend", ["postgres"])
def test_a_score_being_stored_and_the_people_only_choice_cannot_interleave(server_client):
    """Check-and-store holds the interview row, and so does the station's report: a score committed
    just after the choice was read cannot survive it. Shown with lock probes, not with timing."""
    client = server_client
    tenant = make_tenant(client)
    station, interview, answer = _consented_interview(client, tenant, people_only=False)
    db = client.app.state.db
    org = tenant.organization_id
    reporter = AuthenticatedStation(id=station.id, organization_id=org, name="Kiosk")
    consent = StationInterviewUpdate.model_validate(
        {"status": "in_progress", "consent_version": "default-1", "people_only": False}
    )

    with db.session() as storing:
        stored = jobs.store_score_unless_people_only(
            storing, organization_id=org, interview_id=interview, response_id=answer, score=NOT_ENOUGH
        )
        assert stored is not None
        # Until it commits, nobody else can take the interview row...
        with pytest.raises(OperationalError, match="could not obtain lock"), db.session() as probe:
            probe.execute(select(Interview.id).where(Interview.id == interview).with_for_update(nowait=True))
        # ...and a station's report waits for it even before deciding anything (a repeat writes nothing).
        with pytest.raises(OperationalError, match="lock timeout"), db.session() as reporting:
            reporting.execute(text("SET LOCAL lock_timeout = '100ms'"))
            report_progress(reporting, station=reporter, interview_id=interview, update=consent)

    # Committed first, the score is then removed by the choice; stored after it, nothing is kept.
    chosen = consent.model_copy(update={"people_only": True})
    with db.session() as reporting:
        report_progress(reporting, station=reporter, interview_id=interview, update=chosen)
    assert _rows(client, Score, Score.response_id, answer) == 0
    with db.session() as storing:
        assert (
            jobs.store_score_unless_people_only(
                storing, organization_id=org, interview_id=interview, response_id=answer, score=NOT_ENOUGH
            )
            is None
        )
    assert _rows(client, Score, Score.response_id, answer) == 0
