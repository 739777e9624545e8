"""The station outbox journals answers durably and forgets nothing before the server confirmed it."""

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.store.answers import AnswerSink, FinishedAnswer
from desktop_app.store.database import StoreError
from desktop_app.store.disk_space import DiskSpaceLow, check_disk_space, estimate_recording_bytes
from desktop_app.store.outbox import Outbox, PendingPost
from sync_server.contract import Transcript


def make_answer(tmp_path: Path, answer_id: str, *, transcript: Transcript | None = None) -> FinishedAnswer:
    media = tmp_path / "media" / f"{answer_id}.mp4"
    media.parent.mkdir(parents=True, exist_ok=True)
    data = os.urandom(2048)
    media.write_bytes(data)
    return FinishedAnswer(
        answer_id=answer_id,
        interview_id="iv-1",
        question_id="q-1",
        attempt=1,
        media_path=media,
        media_sha256=hashlib.sha256(data).hexdigest(),
        duration_seconds=12.5,
        recorded_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        transcript=transcript,
        metrics={"peak_dbfs": -3.0},
    )


TRANSCRIPT = Transcript(text="hello", language="en", model="tiny.en")


def test_outbox_is_an_answer_sink_and_survives_reopening(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    outbox: AnswerSink = Outbox.open(db)
    first, second = make_answer(tmp_path, "a-1"), make_answer(tmp_path, "a-2")
    outbox.add_answer(first)
    outbox.add_answer(second)
    outbox.add_answer(first)  # a repeat hand-over is a no-op
    reopened = Outbox.open(db)
    pending = reopened.pending_answers()
    assert [p.answer_id for p in pending] == ["a-1", "a-2"]
    assert pending[0].media_size == 2048
    assert pending[0].metrics == {"peak_dbfs": -3.0}
    assert pending[0].transcript is None


def test_answer_is_pending_until_media_and_transcript_are_confirmed(tmp_path: Path) -> None:
    outbox = Outbox.open(tmp_path / "station.db")
    outbox.add_answer(make_answer(tmp_path, "a-1"))
    outbox.record_upload_url("a-1", "http://server/api/v1/uploads/u1")
    outbox.confirm_media("a-1", "resp-1")
    assert outbox.pending_answers() == []  # no transcript yet: nothing left to send
    outbox.set_transcript("a-1", TRANSCRIPT)
    [pending] = outbox.pending_answers()
    assert pending.response_id == "resp-1" and pending.transcript == TRANSCRIPT
    outbox.confirm_transcript("a-1")
    assert outbox.pending_answers() == []
    assert outbox.counts().delivered == 1
    with pytest.raises(StoreError):
        outbox.set_transcript("unknown", TRANSCRIPT)


def test_missing_media_file_is_refused(tmp_path: Path) -> None:
    outbox = Outbox.open(tmp_path / "station.db")
    answer = make_answer(tmp_path, "a-1")
    answer.media_path.unlink()
    with pytest.raises(StoreError, match="missing"):
        outbox.add_answer(answer)
    assert outbox.pending_answers() == []


def test_media_is_deleted_only_after_confirmation_and_retention(tmp_path: Path) -> None:
    outbox = Outbox.open(tmp_path / "station.db", retention=timedelta(hours=1))
    confirmed = make_answer(tmp_path, "a-1", transcript=TRANSCRIPT)
    unconfirmed = make_answer(tmp_path, "a-2", transcript=TRANSCRIPT)
    outbox.add_answer(confirmed)
    outbox.add_answer(unconfirmed)
    outbox.confirm_media("a-1", "resp-1")
    assert outbox.purge_delivered_media() == []  # still within retention
    later = datetime.now(UTC) + timedelta(hours=2)
    assert outbox.purge_delivered_media(now=later) == [confirmed.media_path.resolve()]
    assert not confirmed.media_path.exists()
    assert unconfirmed.media_path.exists()  # never confirmed: kept however old
    assert outbox.purge_delivered_media(now=later) == []


def test_a_recording_whose_transcript_is_pending_outlives_the_retention(tmp_path: Path) -> None:
    """The late transcript is made from the recording: purging it first would lose the transcript."""
    outbox = Outbox.open(tmp_path / "station.db", retention=timedelta(hours=1))
    pending, failed = make_answer(tmp_path, "a-1"), make_answer(tmp_path, "a-2")
    outbox.add_answer(pending)
    outbox.add_answer(failed)
    outbox.confirm_media("a-1", "resp-1")
    outbox.confirm_media("a-2", "resp-2")
    outbox.transcript_failed("a-2", "The audio could not be read.")
    later = datetime.now(UTC) + timedelta(hours=2)
    assert outbox.purge_delivered_media(now=later) == [failed.media_path.resolve()]
    assert pending.media_path.exists()
    assert [a.answer_id for a in outbox.answers_without_transcript()] == ["a-1"]
    outbox.set_transcript("a-1", TRANSCRIPT)
    assert outbox.purge_delivered_media(now=later) == [pending.media_path.resolve()]


def test_posts_are_idempotent_by_client_id(tmp_path: Path) -> None:
    outbox = Outbox.open(tmp_path / "station.db")
    outbox.add_post("p-1", "/api/v1/interviews/iv-1/finish", {"id": "p-1"})
    outbox.add_post("p-1", "/api/v1/interviews/iv-1/finish", {"id": "p-1"})
    assert [p.post_id for p in outbox.pending_posts()] == ["p-1"]
    outbox.confirm_post("p-1")
    assert outbox.pending_posts() == []


def test_answers_and_posts_are_delivered_in_the_order_they_happened(tmp_path: Path) -> None:
    """The consent (with a people-only choice) must reach the server before the first answer it covers."""
    outbox = Outbox.open(tmp_path / "station.db")
    outbox.add_post("consent", "/api/v1/station/interviews/iv-1/progress", {"status": "in_progress"})
    outbox.add_answer(make_answer(tmp_path, "a-1"))
    outbox.add_post("done", "/api/v1/station/interviews/iv-1/progress", {"status": "completed"})

    def order() -> list[str]:
        return [i.post_id if isinstance(i, PendingPost) else i.answer_id for i in outbox.pending_in_order()]

    assert order() == ["consent", "a-1", "done"]
    outbox.confirm_post("consent")
    assert order() == ["a-1", "done"]


def test_disk_space_check_warns_staff_before_recording(tmp_path: Path) -> None:
    space = check_disk_space(tmp_path, answer_seconds=60, video_bitrate=2_500_000, reserve_bytes=0)
    assert space.needed_bytes == estimate_recording_bytes(seconds=60, video_bitrate=2_500_000)
    assert space.free_bytes > 0
    with pytest.raises(DiskSpaceLow) as caught:
        check_disk_space(tmp_path, answer_seconds=120, video_bitrate=2_500_000, reserve_bytes=1 << 62)
    assert "almost full" in caught.value.message and caught.value.fix


def test_answers_without_transcript_wait_until_transcribed_or_failed_for_good(tmp_path: Path) -> None:
    outbox = Outbox.open(tmp_path / "station.db")
    for answer_id in ("a-1", "a-2", "a-3", "a-4"):
        outbox.add_answer(make_answer(tmp_path, answer_id))
    outbox.add_answer(make_answer(tmp_path, "a-5", transcript=TRANSCRIPT))
    outbox.reject_answer("a-4", "the interview was cancelled")  # a transcript could never be delivered
    assert [a.answer_id for a in outbox.answers_without_transcript()] == ["a-1", "a-2", "a-3"]
    assert outbox.counts().transcripts_pending == 3

    outbox.set_transcript("a-1", TRANSCRIPT)
    outbox.transcript_failed("a-2", "The audio in a-2.mp4 could not be read (Invalid data).")
    assert [a.answer_id for a in outbox.answers_without_transcript()] == ["a-3"]
    assert outbox.transcript_failure("a-2") == "The audio in a-2.mp4 could not be read (Invalid data)."
    assert outbox.transcript_failure("a-1") is None
    counts = outbox.counts()
    assert (counts.transcripts_pending, counts.transcripts_failed) == (1, 1)


def test_an_older_station_database_gains_the_transcript_failure_column(tmp_path: Path) -> None:
    import sqlite3

    from desktop_app.store.database import ensure_schema, open_station_db
    from desktop_app.store.outbox import SCHEMA_PART, SCHEMA_STEPS

    db = tmp_path / "station.db"
    old = open_station_db(db)
    ensure_schema(old, SCHEMA_PART, SCHEMA_STEPS[:1])  # as the station wrote it before this change
    old.close()
    outbox = Outbox.open(db)
    outbox.add_answer(make_answer(tmp_path, "a-1"))
    outbox.transcript_failed("a-1", "unreadable")
    assert outbox.transcript_failure("a-1") == "unreadable"
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT applied FROM schema_steps WHERE part = 'outbox'").fetchone()[0] == len(
            SCHEMA_STEPS
        )


def test_a_transcript_stored_with_a_control_character_still_goes_out(tmp_path: Path) -> None:
    """An older station kept speech recognition's text as it came (a stray U+0007 included); the
    contract now refuses such characters, so reading that row must clean it, not stop every pass."""
    db = tmp_path / "station.db"
    outbox = Outbox.open(db)
    outbox.add_answer(make_answer(tmp_path, "a-1", transcript=TRANSCRIPT))
    stored = '{"text": "hello\\u0007 there", "language": "en", "model": "tiny.en", "segments": []}'
    with sqlite3.connect(db) as older_station:
        older_station.execute(
            "UPDATE outbox_answers SET transcript_json = ? WHERE answer_id = 'a-1'", (stored,)
        )
    (pending,) = Outbox.open(db).pending_answers()
    assert pending.transcript is not None and pending.transcript.text == "hello there"
