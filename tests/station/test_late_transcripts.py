"""The candidate never waits for a transcript: "I'm done" moves on, the transcript follows the answer."""

import time
from pathlib import Path

import pytest

from desktop_app.config import load_settings
from desktop_app.devices.camera import CameraCapture
from desktop_app.session.events import SessionState, StateChange
from desktop_app.session.interview import InterviewSession, SessionDevices, SessionOptions
from desktop_app.session.journal import SessionJournal
from desktop_app.store.directory_sink import DirectoryAnswerSink
from sync_server.contract import InterviewPlan, Transcript
from tests.station.conftest import SPOKEN_KEY_WORDS

SLOW_FINISH_SECONDS = 4.0


class _SlowToFinish:
    """The real speech model, with each answer's final decode held back (a station under heavy load)."""

    def __init__(self, transcriber):  # type: ignore[no-untyped-def]
        self._transcriber = transcriber

    def open_stream(self, **kwargs):  # type: ignore[no-untyped-def]
        stream = self._transcriber.open_stream(**kwargs)
        real_finish = stream.finish

        def finish(timeout: float | None = None) -> Transcript:
            time.sleep(SLOW_FINISH_SECONDS)
            return real_finish(timeout=timeout)

        stream.finish = finish
        return stream


@pytest.fixture(scope="module")
def transcriber():
    from desktop_app.speech.transcription import Transcriber

    return Transcriber(load_settings(speech_beam_size=1))


@pytest.mark.parametrize("wait_for_transcripts", [False, True], ids=["kiosk", "headless"])
def test_the_next_step_comes_at_once_and_the_transcript_follows(
    tmp_path: Path, face_video: Path, spoken_answer_wav: Path, transcriber, wait_for_transcripts: bool
):
    plan = InterviewPlan.model_validate(
        {"interview_id": "iv-late", "questions": [
            {"id": "q1", "text": "Describe a project.", "think_seconds": 0, "answer_seconds": 30, "max_attempts": 2},
        ]}
    )  # fmt: skip
    journal = SessionJournal.open(tmp_path / "station.db")
    out = tmp_path / "out"
    session = InterviewSession(
        plan,
        settings=load_settings(video_width=320, video_height=240),
        devices=SessionDevices(camera=CameraCapture(str(face_video)), scripted_answers=[spoken_answer_wav]),
        sink=DirectoryAnswerSink(out),
        journal=journal,
        recordings_dir=out,
        load_transcriber=lambda: _SlowToFinish(transcriber),
        options=SessionOptions(
            consent_given=True,
            device_check_seconds=0.3,
            device_check_blocks=False,
            wait_for_transcripts=wait_for_transcripts,
        ),
    )
    seen: dict[SessionState, float] = {}

    def on_state(change: StateChange) -> None:
        seen.setdefault(change.state, time.monotonic())
        if change.state is SessionState.reviewing:
            assert change.media_path is not None and change.media_path.is_file()  # can be watched now
            session.keep_answer()

    session.events.state_changed.connect(on_state)
    summary = session.run()
    assert summary.status == "finished", summary.errors
    # the review step did not wait for the (held back) transcript
    assert seen[SessionState.reviewing] - seen[SessionState.saving] < SLOW_FINISH_SECONDS
    (answer,) = journal.all_attempts("iv-late")
    assert answer.status == "delivered"
    if not wait_for_transcripts:
        deadline = time.monotonic() + 60
        while journal.attempt(answer.answer_id).transcript is None:  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the transcript never followed its answer"
            time.sleep(0.1)
    else:
        assert summary.answers[0].transcript is not None  # headless returns with everything stored
    stored = journal.attempt(answer.answer_id)
    assert stored is not None and stored.transcript is not None
    text = stored.transcript.text.lower()
    assert sum(word in text for word in SPOKEN_KEY_WORDS) >= 2, text
    # the sink got it after the answer itself (a transcript file next to the recording)
    transcript_files = list(out.glob("q1-attempt1.transcript.json"))
    deadline = time.monotonic() + 10
    while not transcript_files and time.monotonic() < deadline:
        time.sleep(0.1)
        transcript_files = list(out.glob("q1-attempt1.transcript.json"))
    assert transcript_files
