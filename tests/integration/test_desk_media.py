"""Answer media for the desk, on a real server that received it from a real station upload (tus):
the resumable download cache (HTTP Range) and the loopback relay the player streams through."""

import hashlib

import httpx
import pytest

from desktop_app.desk.api import DeskApi
from desktop_app.desk.media_cache import DownloadCancelled, MediaCache
from desktop_app.desk.media_stream import MediaRelay
from sync_server.contract import EnrollmentCodeCreate, InviteCreate, JobCreate, QuestionIn, QuestionSetCreate
from tests.support.desk_seed import seed_org
from tests.support.desk_world import RecordedAnswer, record_interview, words_transcript
from tests.support.live_server import live_server
from tests.support.media import write_test_video


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """(org, response id, the original video bytes) for one uploaded answer."""
    root = tmp_path_factory.mktemp("desk-media")
    with live_server(root / "server") as server:
        org = seed_org(server)
        admin, _ = DeskApi.sign_in(server.url, org.admin_email, org.password)
        questions = admin.create_question_set(
            QuestionSetCreate(name="One", questions=[QuestionIn(text="Why us?")])
        )
        job = admin.create_job(JobCreate(title="Engineer", question_set_id=questions.id))
        candidate = admin.add_candidate(full_name="Grace Hopper", email=None, job_id=job.id, cv=None)
        invite = admin.invite(InviteCreate(candidate_id=candidate.id))
        code = admin.enrollment_code(EnrollmentCodeCreate(station_name="Lobby"))
        video = write_test_video(root / "answer.mp4", seconds=4, width=640, height=360)
        interview_id = record_interview(
            server_url=server.url,
            enrollment_code=code.enrollment_code,
            access_code=invite.access_code,
            answers=[RecordedAnswer(video, words_transcript("Because you build things that last."), 4.0)],
            workdir=root / "station",
        )
        response = admin.interview(interview_id).responses[0]
        admin.sign_out()
        yield org, response.id, video.read_bytes()


def test_download_whole_file_with_progress_then_served_from_the_cache(recorded, tmp_path):
    org, response_id, original = recorded
    api, _ = DeskApi.sign_in(org.server.url, org.hr_email, org.password)
    cache = MediaCache(tmp_path, api.client)
    seen: list[tuple[int, int | None]] = []
    media = cache.fetch(response_id, on_progress=lambda done, total: seen.append((done, total)))
    assert media.path.read_bytes() == original
    assert media.resumed_from == 0
    assert seen[-1] == (len(original), len(original))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    again = cache.fetch(response_id)
    assert again.path == media.path and cache.cached(response_id) == media.path
    api.sign_out()


def test_an_interrupted_download_resumes_with_a_range_request(recorded, tmp_path):
    org, response_id, original = recorded
    api, _ = DeskApi.sign_in(org.server.url, org.hr_email, org.password)
    cache = MediaCache(tmp_path, api.client)
    calls = 0

    def stop_after_first_chunk() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1

    with pytest.raises(DownloadCancelled):
        cache.fetch(response_id, cancelled=stop_after_first_chunk)
    part = cache.path_for(response_id).with_suffix(".part")
    already = part.stat().st_size
    assert 0 < already < len(original)
    assert cache.cached(response_id) is None  # nothing half-written is ever visible as a cached file
    media = cache.fetch(response_id)
    assert media.resumed_from == already
    assert hashlib.sha256(media.path.read_bytes()).digest() == hashlib.sha256(original).digest()
    api.sign_out()


def test_unknown_answer_and_other_organization_are_not_found(recorded, tmp_path):
    org, response_id, _ = recorded
    org.server.cli("create-org", "Other Co", "--slug", "other")
    org.server.cli(
        "create-user",
        "--org",
        "other",
        "--email",
        "hr@other.example",
        "--role",
        "hr",
        "--password",
        org.password,
    )
    outsider, _ = DeskApi.sign_in(org.server.url, "hr@other.example", org.password)
    from desktop_app.desk.errors import NotFound

    with pytest.raises(NotFound):
        MediaCache(tmp_path, outsider.client).fetch(response_id)
    assert not list(tmp_path.rglob("*.media"))
    outsider.sign_out()


def test_relay_streams_ranges_with_the_token_and_refuses_strangers(recorded):
    org, response_id, original = recorded
    api, _ = DeskApi.sign_in(org.server.url, org.hr_email, org.password)
    relay = MediaRelay(api.client)
    try:
        url = relay.url_for(response_id)
        whole = httpx.get(url)
        assert whole.status_code == 200 and whole.content == original
        part = httpx.get(url, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.content == original[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(original)}"
        wrong_secret = url.replace(url.split("/")[3], "guess")
        assert httpx.get(wrong_secret).status_code == 404
        assert httpx.get(url.replace(response_id, "missing-answer")).status_code == 404
    finally:
        relay.close()
        api.sign_out()
