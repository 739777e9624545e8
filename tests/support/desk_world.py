"""Recorded interviews on a real server, put there the way the product does it: a station enrolls with a
code, opens the interview with the candidate's access code, journals each answer in its outbox, and its
sync loop uploads media (tus) and transcripts."""

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import enroll, station_client
from desktop_app.sync.loop import SyncLoop
from desktop_app.sync.sessions import (
    open_interview,
    queue_consent_declined,
    queue_consent_given,
    queue_interview_completed,
)
from sync_server.contract import Transcript


@dataclass(frozen=True)
class RecordedAnswer:
    video: Path
    transcript: Transcript | None
    seconds: float


def words_transcript(text: str, *, seconds_per_word: float = 0.3) -> Transcript:
    """A transcript with word timings, as the station's faster-whisper would produce for this text."""
    words = []
    for index, word in enumerate(text.split()):
        start = round(index * seconds_per_word, 3)
        words.append(
            {
                "start": start,
                "end": round(start + seconds_per_word * 0.9, 3),
                "word": f" {word}",
                "probability": 0.95,
            }
        )
    end = words[-1]["end"] if words else 0.0
    return Transcript.model_validate(
        {
            "text": text,
            "language": "en",
            "model": "tiny.en",
            "segments": [
                {
                    "start": 0.0,
                    "end": end,
                    "text": text,
                    "avg_logprob": -0.2,
                    "no_speech_prob": 0.01,
                    "words": words,
                }
            ],
        }
    )


def record_interview(
    *,
    server_url: str,
    enrollment_code: str,
    access_code: str,
    answers: Sequence[RecordedAnswer],
    workdir: Path,
    people_only: bool = False,
) -> str:
    """Run the station side of one interview; returns the interview id once everything is delivered."""
    identity = enroll(server_url, enrollment_code)
    workdir.mkdir(parents=True, exist_ok=True)
    outbox = Outbox.open(workdir / "station.db")
    try:
        with station_client(identity) as client:
            plan = open_interview(client, access_code)
            queue_consent_given(
                outbox,
                interview_id=plan.interview_id,
                consent_version=plan.consent.version,
                people_only=people_only,
                at=datetime.now(UTC),
            )
            for question, answer in zip(plan.questions, answers, strict=False):
                outbox.add_answer(
                    FinishedAnswer(
                        answer_id=str(uuid.uuid4()),
                        interview_id=plan.interview_id,
                        question_id=question.id,
                        attempt=1,
                        media_path=answer.video,
                        media_sha256=hashlib.sha256(answer.video.read_bytes()).hexdigest(),
                        duration_seconds=answer.seconds,
                        recorded_at=datetime.now(UTC),
                        transcript=answer.transcript,
                    )
                )
            queue_interview_completed(outbox, interview_id=plan.interview_id)
            report = SyncLoop(outbox, client).run_once()
            if report.rejected:
                raise RuntimeError(f"the server rejected {report.rejected}")
            return plan.interview_id
    finally:
        outbox.close()


def decline_interview(*, server_url: str, enrollment_code: str, access_code: str, workdir: Path) -> str:
    """A candidate opens their interview at a station and declines consent; returns the interview id."""
    identity = enroll(server_url, enrollment_code)
    workdir.mkdir(parents=True, exist_ok=True)
    outbox = Outbox.open(workdir / "station.db")
    try:
        with station_client(identity) as client:
            plan = open_interview(client, access_code)
            queue_consent_declined(outbox, interview_id=plan.interview_id, at=datetime.now(UTC))
            report = SyncLoop(outbox, client).run_once()
            if report.rejected or report.posts_delivered != 1:
                raise RuntimeError(f"the decline was not delivered: {report}")
            return plan.interview_id
    finally:
        outbox.close()
