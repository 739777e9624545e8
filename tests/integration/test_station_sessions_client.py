"""The station's side of opening an interview, against a real server: every way a code can be refused."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import station_client
from desktop_app.sync.errors import ServerUnreachable
from desktop_app.sync.identity import StationIdentity
from desktop_app.sync.loop import SyncLoop
from desktop_app.sync.sessions import (
    AccessCodeRefused,
    CodeProblem,
    fetch_plan,
    open_interview,
    queue_consent_declined,
    queue_consent_given,
)
from tests.support.kiosk_server import KioskServer
from tests.support.live_server import live_server

QUESTIONS = [{"text": "Say hello.", "think_seconds": 1, "answer_seconds": 5, "max_attempts": 2}]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("kiosk-server")) as live:
        yield KioskServer.seed(live)


@pytest.fixture
def identity(server: KioskServer, tmp_path: Path) -> StationIdentity:
    return server.enroll_station(tmp_path / "identity.json")


def test_a_good_code_typed_loosely_opens_the_plan_once(server, identity):
    code, interview_id, _ = server.invite(
        QUESTIONS, accommodations={"time_multiplier": 1.5, "large_text": True}
    )
    loose = "-".join(code[i : i + 3] for i in range(0, len(code), 3)).lower()
    with station_client(identity) as client:
        plan = open_interview(client, loose)
        assert plan.interview_id == interview_id
        assert plan.questions[0].text == "Say hello."
        assert plan.accommodations.large_text and plan.accommodations.time_multiplier == 1.5
        assert fetch_plan(client, interview_id).interview_id == interview_id
        with pytest.raises(AccessCodeRefused) as used:
            open_interview(client, code)
    assert used.value.problem is CodeProblem.used
    assert "staff" in (used.value.fix or "")


def test_wrong_and_expired_codes_say_what_to_do(server, identity):
    code, _, invite_id = server.invite(QUESTIONS)
    server.expire_invite(invite_id)
    with station_client(identity) as client:
        with pytest.raises(AccessCodeRefused) as wrong:
            open_interview(client, "ZZZZZZZZ")
        with pytest.raises(AccessCodeRefused) as expired:
            open_interview(client, code)
    assert wrong.value.problem is CodeProblem.wrong and "not valid" in wrong.value.message
    assert expired.value.problem is CodeProblem.expired and "expired" in expired.value.message


def test_no_server_is_a_clear_sentence_and_spends_nothing(identity, free_port):
    offline = StationIdentity(
        f"http://127.0.0.1:{free_port}", identity.station_id, "x", "y", identity.credential
    )
    with station_client(offline) as client, pytest.raises(ServerUnreachable) as unreachable:
        open_interview(client, "ABCD2345")
    assert "cannot reach" in unreachable.value.message


def test_consent_progress_is_queued_and_delivered_by_the_outbox(server, identity, tmp_path):
    code, interview_id, _ = server.invite(QUESTIONS)
    outbox = Outbox.open(tmp_path / "station.db")
    with station_client(identity) as client:
        plan = open_interview(client, code)
        queue_consent_given(
            outbox,
            interview_id=plan.interview_id,
            consent_version=plan.consent.version,
            people_only=False,
            at=datetime.now(UTC),
        )
        (post,) = outbox.pending_posts()
        response = client.request(post.method, post.path, json=post.body)
    assert response.status_code == 200, response.text
    assert server.interview(interview_id)["consent_version"] == plan.consent.version
    assert isinstance(response, httpx.Response)


def _audit_actions(server: KioskServer, interview_id: str) -> list[str]:
    response = httpx.get(
        f"{server.live.url}/api/v1/audit-log",
        params={"target_id": interview_id},
        headers=server.admin,
        timeout=30,
    )
    assert response.is_success, response.text
    return [entry["action"] for entry in response.json()["items"]]


def test_people_only_consent_given_offline_is_delivered_later_exactly_once(
    server, identity, tmp_path, free_port
):
    code, interview_id, _ = server.invite(QUESTIONS)
    with station_client(identity) as client:
        plan = open_interview(client, code)
    outbox = Outbox.open(tmp_path / "station.db")
    queue_consent_given(
        outbox,
        interview_id=interview_id,
        consent_version=plan.consent.version,
        people_only=True,
        at=datetime.now(UTC),
    )
    offline = StationIdentity(
        f"http://127.0.0.1:{free_port}", identity.station_id, "x", "y", identity.credential
    )
    with station_client(offline) as client, pytest.raises(ServerUnreachable):
        SyncLoop(outbox, client).run_once()
    assert len(outbox.pending_posts()) == 1  # journaled, waiting for the network
    assert server.interview(interview_id)["people_only"] is False

    with station_client(identity) as client:
        loop = SyncLoop(outbox, client)
        assert loop.run_once().posts_delivered == 1
        assert loop.run_once().posts_delivered == 0
    shown = server.interview(interview_id)
    assert shown["people_only"] is True and shown["consent_version"] == plan.consent.version
    actions = _audit_actions(server, interview_id)
    assert actions.count("interview.consent_given") == 1 and actions.count("interview.people_only") == 1


def test_a_declined_consent_reaches_the_server_and_the_code_opens_nothing(server, identity, tmp_path):
    code, interview_id, _ = server.invite(QUESTIONS)
    outbox = Outbox.open(tmp_path / "station.db")
    with station_client(identity) as client:
        open_interview(client, code)
        queue_consent_declined(outbox, interview_id=interview_id, at=datetime.now(UTC))
        assert SyncLoop(outbox, client).run_once().posts_delivered == 1
        with pytest.raises(AccessCodeRefused) as used:
            open_interview(client, code)
    assert used.value.problem is CodeProblem.used
    shown = server.interview(interview_id)
    assert shown["status"] == "declined" and shown["declined_at"] is not None
    assert "interview.consent_declined" in _audit_actions(server, interview_id)


@pytest.mark.parametrize(
    "station_time",
    [
        pytest.param(datetime(1970, 1, 1, 0, 5, tzinfo=UTC), id="dead-clock-battery-1970"),
        pytest.param(datetime.now(UTC) + timedelta(days=3), id="clock-days-ahead"),
    ],
)
def test_a_wrong_station_clock_does_not_lose_the_people_only_choice(server, identity, tmp_path, station_time):
    """The server refuses a consent time before 2000 or more than a day past its own now. The station
    leaves out a time it can tell is wrong (1970) and, refused for the time, sends the report again
    without it (a clock ahead, which it cannot tell): either way consent and the people-only choice
    arrive, timed by the server (else the AI would evaluate a candidate who opted out)."""
    code, interview_id, _ = server.invite(QUESTIONS)
    outbox = Outbox.open(tmp_path / "station.db")
    with station_client(identity) as client:
        plan = open_interview(client, code)
        queue_consent_given(
            outbox,
            interview_id=interview_id,
            consent_version=plan.consent.version,
            people_only=True,
            at=station_time,
        )
        report = SyncLoop(outbox, client).run_once()
    assert report.posts_delivered == 1 and not report.rejected
    shown = server.interview(interview_id)
    assert shown["people_only"] is True and shown["consent_version"] == plan.consent.version
    given = datetime.fromisoformat(shown["consent_given_at"])
    assert datetime(2000, 1, 1, tzinfo=UTC) < given < datetime.now(UTC) + timedelta(hours=1)


def test_a_decline_timed_days_ahead_still_closes_the_interview(server, identity, tmp_path):
    code, interview_id, _ = server.invite(QUESTIONS)
    outbox = Outbox.open(tmp_path / "station.db")
    with station_client(identity) as client:
        open_interview(client, code)
        queue_consent_declined(outbox, interview_id=interview_id, at=datetime.now(UTC) + timedelta(days=3))
        report = SyncLoop(outbox, client).run_once()
    assert report.posts_delivered == 1 and not report.rejected
    assert server.interview(interview_id)["status"] == "declined"
