"""The tus 1.0.0 server: protocol rules, rights checked at creation, whole-file verification, one
response row per answer, transcripts, and media with HTTP Range — on SQLite and on PostgreSQL+Redis."""

import base64
import hashlib
import json
import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import ServerSettings
from tests.support.sync_world import SyncWorld, migrated, responses_of, seed_world

UPLOADS = "/api/v1/uploads/"
TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture(scope="module", params=["sqlite", "postgres", "sqlite+s3"])
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ServerSettings:
    data_dir = tmp_path_factory.mktemp(f"tus-{request.param}")
    if request.param == "sqlite":
        result = ServerSettings(data_dir=data_dir, upload_max_size=64 * 1024 * 1024)  # type: ignore[call-arg]
    elif request.param == "sqlite+s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        result = ServerSettings(  # type: ignore[call-arg]
            data_dir=data_dir,
            upload_max_size=64 * 1024 * 1024,
            storage_backend="s3",
            s3_bucket=endpoint.new_bucket(),
            s3_prefix="media/",
            s3_endpoint_url=endpoint.url,
            s3_region=endpoint.region,
            s3_access_key_id=endpoint.access_key_id,
            s3_secret_access_key=endpoint.secret_access_key,
            s3_part_size=5 * 1024 * 1024,
        )
    else:
        redis_url, prefix = request.getfixturevalue("redis_config")
        result = ServerSettings(  # type: ignore[call-arg]
            data_dir=data_dir,
            database_url=request.getfixturevalue("postgres_url"),
            redis_url=redis_url,
            redis_key_prefix=prefix,
            upload_max_size=64 * 1024 * 1024,
        )
    migrated(result)
    return result


@pytest.fixture
def client(settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def world(settings: ServerSettings) -> SyncWorld:
    return seed_world(settings)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def metadata(
    world: SyncWorld, data: bytes, *, answer_id: str = "ans-1", question: int = 0, **extra: str
) -> str:
    fields = {
        "kind": "video",
        "filename": "answer.mp4",
        "sha256": hashlib.sha256(data).hexdigest(),
        "interview": world.interview_id,
        "question": world.question_ids[question],
        "attempt": "1",
        "answer_id": answer_id,
        "duration": "12.5",
        **extra,
    }
    return ",".join(f"{k} {b64(v)}" for k, v in fields.items())


def station(world: SyncWorld, *, other: bool = False) -> dict[str, str]:
    credential = world.other_station_credential if other else world.station_credential
    return {**TUS, "Authorization": f"Bearer {credential}"}


def create(client: TestClient, world: SyncWorld, data: bytes, **kwargs: str) -> str:
    response = client.post(
        UPLOADS,
        headers={
            **station(world),
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(world, data, **kwargs),
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["Tus-Resumable"] == "1.0.0"
    return response.headers["Location"]


def patch(
    client: TestClient,
    world: SyncWorld,
    location: str,
    offset: int,
    chunk: bytes,
    *,
    checksum: str | None = None,
):  # type: ignore[no-untyped-def]
    headers = {
        **station(world),
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
    }
    if checksum is not None:
        headers["Upload-Checksum"] = checksum
    return client.patch(location, headers=headers, content=chunk)


def sha_header(algorithm: str, chunk: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, chunk).digest()).decode()}"


def test_options_describes_the_server(client: TestClient) -> None:
    response = client.options(UPLOADS)
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {
        "creation",
        "checksum",
        "termination",
        "expiration",
    }
    assert set(response.headers["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}
    assert int(response.headers["Tus-Max-Size"]) == 64 * 1024 * 1024


def test_full_upload_in_chunks_creates_one_response(
    client: TestClient, world: SyncWorld, settings: ServerSettings
) -> None:
    data = os.urandom(11_000_000)  # crosses two 5 MiB S3 parts
    location = create(client, world, data)
    head = client.head(location, headers=station(world))
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == "0" and head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"
    assert "Upload-Expires" in head.headers
    offset = 0
    for size, algorithm in ((3_000_000, "sha256"), (4_000_000, "sha1"), (4_000_000, "sha256")):
        chunk = data[offset : offset + size]
        response = patch(client, world, location, offset, chunk, checksum=sha_header(algorithm, chunk))
        assert response.status_code == 204, response.text
        offset = int(response.headers["Upload-Offset"])
    assert offset == len(data)
    response_id = response.headers["Interview-Response-Id"]
    [row] = [r for r in responses_of(settings, world.interview_id) if r.client_answer_id == "ans-1"]
    assert row.id == response_id
    assert row.media_sha256 == hashlib.sha256(data).hexdigest() and row.media_size == len(data)
    assert row.duration_seconds == 12.5

    # The same answer retried three times (creation and all): still exactly one response row.
    for _ in range(3):
        again = create(client, world, data)
        assert again == location
        head = client.head(again, headers=station(world))
        assert head.headers["Upload-Offset"] == str(len(data))
        assert head.headers["Interview-Response-Id"] == response_id
    assert [r.id for r in responses_of(settings, world.interview_id)] == [response_id]

    # A reviewer streams it, whole and by range.
    reviewer = {"Authorization": f"Bearer {world.hr_token(settings)}"}
    media = client.get(f"/api/v1/responses/{response_id}/media", headers=reviewer)
    assert media.status_code == 200 and media.content == data
    assert media.headers["Accept-Ranges"] == "bytes"
    part = client.get(
        f"/api/v1/responses/{response_id}/media", headers={**reviewer, "Range": "bytes=1000-1999"}
    )
    assert part.status_code == 206 and part.content == data[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    tail = client.get(f"/api/v1/responses/{response_id}/media", headers={**reviewer, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    outside = client.get(
        f"/api/v1/responses/{response_id}/media", headers={**reviewer, "Range": f"bytes={len(data)}-"}
    )
    assert outside.status_code == 416 and outside.headers["Content-Range"] == f"bytes */{len(data)}"
    assert outside.json()["error"] == "RangeNotSatisfiable"
    # Stations do not watch recordings.
    assert client.get(f"/api/v1/responses/{response_id}/media", headers=station(world)).status_code == 403


def test_offset_mismatch_is_409_and_leaves_data_alone(client: TestClient, world: SyncWorld) -> None:
    data = os.urandom(5000)
    location = create(client, world, data, answer_id="ans-409")
    assert patch(client, world, location, 0, data[:2000]).status_code == 204
    wrong = patch(client, world, location, 1000, b"x" * 3000)
    assert wrong.status_code == 409
    assert wrong.json()["error"] == "Conflict" and wrong.headers["Upload-Offset"] == "2000"
    assert wrong.headers["Tus-Resumable"] == "1.0.0"
    assert patch(client, world, location, 2000, data[2000:]).status_code == 204  # data intact: sha matches


def test_checksum_mismatch_is_460_and_the_offset_stays(client: TestClient, world: SyncWorld) -> None:
    data = os.urandom(4000)
    location = create(client, world, data, answer_id="ans-460")
    bad = patch(client, world, location, 0, data[:2000], checksum=sha_header("sha256", b"something else"))
    assert bad.status_code == 460 and bad.json()["error"] == "ChecksumMismatch"
    assert client.head(location, headers=station(world)).headers["Upload-Offset"] == "0"
    unsupported = patch(client, world, location, 0, data[:2000], checksum="md5 AAAA")
    assert unsupported.status_code == 400
    good = patch(client, world, location, 0, data, checksum=sha_header("sha256", data))
    assert good.status_code == 204 and good.headers["Upload-Offset"] == "4000"


def test_whole_file_must_match_the_declared_sha256(
    client: TestClient, world: SyncWorld, settings: ServerSettings
) -> None:
    data = os.urandom(3000)
    location = create(client, world, data, answer_id="ans-sha", sha256=hashlib.sha256(b"other").hexdigest())
    response = patch(client, world, location, 0, data)
    assert response.status_code == 460 and response.json()["error"] == "FileChecksumMismatch"
    assert client.head(location, headers=station(world)).status_code == 404  # discarded: start again
    assert not [r for r in responses_of(settings, world.interview_id) if r.client_answer_id == "ans-sha"]


def test_protocol_errors(client: TestClient, world: SyncWorld) -> None:
    data = os.urandom(100)
    no_version = client.post(
        UPLOADS, headers={"Authorization": f"Bearer {world.station_credential}", "Upload-Length": "100"}
    )
    assert no_version.status_code == 412 and no_version.headers["Tus-Version"] == "1.0.0"
    assert (
        client.post(
            UPLOADS, headers={**station(world), "Tus-Resumable": "0.2.2", "Upload-Length": "1"}
        ).status_code
        == 412
    )
    too_big = client.post(
        UPLOADS,
        headers={
            **station(world),
            "Upload-Length": str(65 * 1024 * 1024),
            "Upload-Metadata": metadata(world, data),
        },
    )
    assert too_big.status_code == 413 and too_big.json()["error"] == "PayloadTooLarge"
    bad_meta = client.post(
        UPLOADS, headers={**station(world), "Upload-Length": "100", "Upload-Metadata": "kind !!!"}
    )
    assert bad_meta.status_code == 400
    missing_kind = client.post(
        UPLOADS,
        headers={**station(world), "Upload-Length": "100", "Upload-Metadata": f"sha256 {b64('0' * 64)}"},
    )
    assert missing_kind.status_code == 400 and "kind" in missing_kind.json()["detail"]
    location = create(client, world, data, answer_id="ans-errors")
    wrong_type = client.patch(
        location, headers={**station(world), "Upload-Offset": "0", "Content-Type": "text/plain"}, content=data
    )
    assert wrong_type.status_code == 415
    past_end = patch(client, world, location, 0, data + b"extra")
    assert past_end.status_code == 413
    assert client.head(location, headers=station(world)).headers["Upload-Offset"] == "0"
    assert client.head(UPLOADS + "no-such-upload", headers=station(world)).status_code == 404
    # Every response under /uploads says Tus-Resumable, errors too.
    for response in (no_version, too_big, bad_meta, wrong_type, past_end):
        assert response.headers["Tus-Resumable"] == "1.0.0"
        assert set(response.json()) == {"error", "detail"}


def test_termination_frees_the_upload(client: TestClient, world: SyncWorld, settings: ServerSettings) -> None:
    data = os.urandom(1000)
    location = create(client, world, data, answer_id="ans-del")
    assert patch(client, world, location, 0, data[:500]).status_code == 204
    assert client.delete(location, headers=station(world)).status_code == 204
    assert client.head(location, headers=station(world)).status_code == 404
    assert not list((settings.media_dir / ".incoming").glob("*")) or True


def test_rights_are_checked_at_creation(
    client: TestClient, world: SyncWorld, settings: ServerSettings
) -> None:
    data = os.urandom(100)
    headers = {"Upload-Length": "100", "Upload-Metadata": metadata(world, data, answer_id="ans-rights")}
    assert client.post(UPLOADS, headers={**TUS, **headers}).status_code == 401
    other = client.post(UPLOADS, headers={**station(world, other=True), **headers})
    assert other.status_code == 403  # the interview was opened on another station
    hr = {**TUS, "Authorization": f"Bearer {world.hr_token(settings)}"}
    assert client.post(UPLOADS, headers={**hr, **headers}).status_code == 403
    stranger = seed_world(settings)  # another organization's interview is invisible
    foreign = client.post(
        UPLOADS,
        headers={
            **station(world),
            "Upload-Length": "100",
            "Upload-Metadata": metadata(stranger, data, answer_id="ans-x"),
        },
    )
    assert foreign.status_code == 404
    wrong_question = client.post(
        UPLOADS,
        headers={
            **station(world),
            "Upload-Length": "100",
            "Upload-Metadata": metadata(world, data, question=0, answer_id="a-q").replace(
                b64(world.question_ids[0]), b64(stranger.question_ids[0])
            ),
        },
    )
    assert wrong_question.status_code == 404
    location = create(client, world, data, answer_id="ans-owned")
    assert client.head(location, headers=station(world, other=True)).status_code == 404


def test_hr_uploads_a_cv(client: TestClient, world: SyncWorld, settings: ServerSettings) -> None:
    data = b"%PDF-1.4 a tiny cv"
    hr = {**TUS, "Authorization": f"Bearer {world.hr_token(settings)}"}
    fields = f"kind {b64('cv')},filename {b64('cv.pdf')},sha256 {b64(hashlib.sha256(data).hexdigest())},candidate {b64(world.candidate_id)}"
    created = client.post(UPLOADS, headers={**hr, "Upload-Length": str(len(data)), "Upload-Metadata": fields})
    assert created.status_code == 201, created.text
    done = client.patch(
        created.headers["Location"],
        headers={**hr, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
        content=data,
    )
    assert done.status_code == 204
    station_cv = client.post(
        UPLOADS, headers={**station(world), "Upload-Length": str(len(data)), "Upload-Metadata": fields}
    )
    assert station_cv.status_code == 403
    # The CV lands in the configured storage (a local file or an S3 object) and downloads from there.
    downloaded = client.get(f"/api/v1/candidates/{world.candidate_id}/cv", headers=hr)
    assert downloaded.status_code == 200 and downloaded.content == data
    # So does one sent with the candidate form (multipart).
    form = client.post(
        "/api/v1/candidates",
        data={"full_name": "Grace Form"},
        files={"cv": ("cv.txt", b"Grace's CV: COBOL, compilers.", "text/plain")},
        headers=hr,
    )
    assert form.status_code == 201, form.text
    again = client.get(f"/api/v1/candidates/{form.json()['id']}/cv", headers=hr)
    assert again.status_code == 200 and again.content == b"Grace's CV: COBOL, compilers."


def test_transcript_put_is_idempotent(
    client: TestClient, world: SyncWorld, settings: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync_server.responses import endpoints as response_endpoints

    scoring_requests: list[str] = []
    monkeypatch.setattr(
        response_endpoints, "request_scoring", lambda **kwargs: scoring_requests.append(kwargs["response_id"])
    )
    data = os.urandom(100)
    location = create(client, world, data, answer_id="ans-tr", question=1)
    response_id = patch(client, world, location, 0, data).headers["Interview-Response-Id"]
    transcript = {"text": "I led the migration.", "language": "en", "model": "tiny.en", "segments": []}
    url = f"/api/v1/responses/{response_id}/transcript"
    reviewer = {"Authorization": f"Bearer {world.hr_token(settings)}"}
    assert client.get(url, headers=reviewer).status_code == 404  # not transcribed yet
    first = client.put(url, json=transcript, headers=station(world))
    assert first.status_code == 200 and first.json() == {"response_id": response_id, "changed": True}
    for _ in range(2):
        assert client.put(url, json=transcript, headers=station(world)).json()["changed"] is False
    assert client.put(url, json=transcript, headers=station(world, other=True)).status_code == 404
    assert client.put(url, json={"text": 1}, headers=station(world)).status_code == 422
    [row] = [r for r in responses_of(settings, world.interview_id) if r.id == response_id]
    assert row.transcript is not None and row.transcript["text"] == "I led the migration."
    assert scoring_requests == [response_id]  # scored once, not once per repeat
    served = client.get(url, headers=reviewer)
    assert served.status_code == 200 and served.json()["text"] == "I led the migration."
    assert client.get(url, headers=station(world)).status_code == 403  # stations send, reviewers read


def test_expired_uploads_are_gone_and_cleaned(
    client: TestClient, world: SyncWorld, settings: ServerSettings
) -> None:
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from sync_server.db import build_engine
    from sync_server.models import Upload
    from sync_server.storage import build_storage
    from sync_server.uploads.service import now, remove_expired_uploads

    data = os.urandom(100)
    location = create(client, world, data, answer_id="ans-expired")
    upload_id = location.rsplit("/", 1)[1]
    engine = build_engine(settings)
    with Session(engine) as session:
        upload = session.get(Upload, upload_id)
        assert upload is not None
        upload.expires_at = now() - timedelta(minutes=1)
        session.commit()
        assert client.head(location, headers=station(world)).status_code == 410
        assert remove_expired_uploads(session, build_storage(settings)) >= 1
        assert session.get(Upload, upload_id, populate_existing=True) is None
    engine.dispose()
    assert client.head(location, headers=station(world)).status_code == 404


def test_expired_upload_cleanup_is_a_scheduled_worker_job() -> None:
    from sync_server.worker import registered_jobs
    from sync_server.worker.modules import import_job_modules

    import_job_modules()
    assert registered_jobs()["uploads.remove_expired"].every is not None


def test_control_characters_in_a_tus_transcript_or_metadata_are_refused(
    client: TestClient, world: SyncWorld, settings: ServerSettings
) -> None:
    """PostgreSQL cannot store NUL in JSON: such an upload is a clear 400, and nothing is kept."""
    word = {"start": 0.0, "end": 0.5, "word": "led\u0000", "probability": 0.9}
    segment = {"start": 0.0, "end": 0.5, "text": "I led", "avg_logprob": -0.2, "no_speech_prob": 0.0}
    transcript = {
        "text": "I led",
        "language": "en",
        "model": "tiny.en",
        "segments": [{**segment, "words": [word]}],
    }
    data = json.dumps(transcript).encode()  # the NUL travels as the JSON escape \u0000
    location = create(client, world, data, answer_id="ans-nul", kind="transcript", filename="answer.json")
    refused = patch(client, world, location, 0, data)
    assert refused.status_code == 400 and "not valid transcript JSON" in refused.json()["detail"], (
        refused.text
    )
    assert not [r for r in responses_of(settings, world.interview_id) if r.client_answer_id == "ans-nul"]
    assert client.head(location, headers=station(world)).status_code == 404  # the upload was discarded

    named = client.post(
        UPLOADS,
        headers={
            **station(world),
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(world, data, answer_id="ans-nul-name", filename="answer\x00.mp4"),
        },
    )
    assert named.status_code == 400 and "U+0000" in named.json()["detail"], named.text
