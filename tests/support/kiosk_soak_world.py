"""What the soak benchmark runs against: a real server on the embedded default, one job with a short
plan, an enrolled station, and one access code per interview, all set up through the HTTP API; and
afterwards, what reached the server (every answer exactly once, with playable media)."""

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import httpx

from tests.support.kiosk_server import API, KioskServer

# Short think time (the driver skips it with "Start answering now"); the answer time leaves room for
# the 15-20 s spoken answer even on a slow machine.
SOAK_QUESTIONS = [
    {
        "text": "Tell us about a time you solved a problem at work or at school.",
        "think_seconds": 5,
        "answer_seconds": 45,
        "max_attempts": 1,
    },
    {
        "text": "What do you enjoy most about working with other people?",
        "think_seconds": 5,
        "answer_seconds": 45,
        "max_attempts": 1,
    },
]


@dataclass(frozen=True)
class Invitation:
    access_code: str
    interview_id: str


@dataclass(frozen=True)
class Delivery:
    """What the server holds for a set of interviews."""

    expected: int
    delivered: int  # distinct (interview, question) pairs with a response carrying media
    duplicates: int  # responses beyond the first for the same (interview, question)
    with_transcript: int  # responses whose transcript reached the server too
    response_ids: list[str]


class SoakJob:
    """One job with the soak's question set; a new candidate and access code per interview."""

    def __init__(self, server: KioskServer) -> None:
        self.server = server
        question_set = server._post(
            "/question-sets", server.hr, json={"name": "Soak interview", "questions": SOAK_QUESTIONS}
        )
        self.job = server._post(
            "/jobs", server.hr, json={"title": "Soak job", "question_set_id": question_set["id"]}
        )

    def invite(self, number: int) -> Invitation:
        candidate = self.server._post(
            "/candidates",
            self.server.hr,
            data={"full_name": f"Soak Candidate {number}", "job_id": self.job["id"]},
        )
        invite = self.server._post("/invites", self.server.hr, json={"candidate_id": candidate["id"]})
        return Invitation(invite["access_code"], invite["interview_id"])

    def delivery(self, interview_ids: list[str]) -> Delivery:
        per_question: Counter[tuple[str, str]] = Counter()
        response_ids = []
        with_transcript = 0
        for interview_id in interview_ids:
            for response in self.server.interview(interview_id)["responses"]:
                if response["has_media"]:
                    per_question[(interview_id, response["question_id"])] += 1
                    response_ids.append(response["id"])
                    with_transcript += bool(response["has_transcript"])
        return Delivery(
            expected=len(SOAK_QUESTIONS) * len(interview_ids),
            delivered=len(per_question),
            duplicates=sum(count - 1 for count in per_question.values()),
            with_transcript=with_transcript,
            response_ids=response_ids,
        )

    def wait_for_delivery(self, interview_ids: list[str], *, timeout: float) -> Delivery:
        """Poll until every answer is on the server or nothing new arrived for `timeout` seconds."""
        last = self.delivery(interview_ids)
        quiet_since = time.monotonic()
        while last.delivered < last.expected and time.monotonic() - quiet_since < timeout:
            time.sleep(2)
            now = self.delivery(interview_ids)
            if now.delivered != last.delivered:
                quiet_since = time.monotonic()
            last = now
        return last

    def download_media(self, response_id: str, path: Path) -> Path:
        with httpx.stream(
            "GET",
            f"{self.server.live.url}{API}/responses/{response_id}/media",
            headers=self.server.hr,
            timeout=60,
        ) as response:
            response.raise_for_status()
            with path.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        return path

    def transcript_text(self, response_id: str) -> str | None:
        """The answer's transcript text; None while the station has not sent it (it follows later)."""
        response = self.server._request("GET", f"/responses/{response_id}/transcript", self.server.hr)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return str(response.json()["text"])


def describe_media(path: Path) -> str:
    """One line on what a recorded answer holds (streams, size, duration), read with PyAV."""
    parts: list[str] = []
    with av.open(str(path)) as container:
        seconds = (container.duration or 0) / av.time_base
        for stream in container.streams:
            codec: Any = stream.codec_context
            if stream.type == "video":
                parts.append(f"video {codec.name} {codec.width}x{codec.height} {stream.frames or '?'} frames")
            elif stream.type == "audio":
                parts.append(f"audio {codec.name} {codec.sample_rate} Hz")
    return f"{path.name}: {', '.join(parts)}, {seconds:.1f} s, {path.stat().st_size / 1e6:.2f} MB"
