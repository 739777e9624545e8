"""A station and a server as real parts for fault tests: the server in its own process (killable),
a TCP proxy between them (cuttable, or refusing like a dead server), the station's outbox on disk,
and checks that every answer arrived exactly once with the bytes it was recorded with."""

import hashlib
import os
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.store.answers import FinishedAnswer
from desktop_app.store.outbox import Outbox
from desktop_app.sync.client import station_client
from desktop_app.sync.identity import StationIdentity, save_identity
from desktop_app.sync.loop import Backoff, SyncLoop
from sync_server.config import ServerSettings
from sync_server.contract import Transcript
from sync_server.db import build_engine
from sync_server.models import Response, Upload
from tests.support.cut_proxy import CutProxy
from tests.support.killable_server import KillableServer
from tests.support.sync_world import SyncWorld, add_interview, migrated, seed_world


def write_recording(path: Path, size: int) -> str:
    """Random bytes standing in for an encoded answer, written and fsync'ed like the recorder does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        remaining = size
        while remaining:
            block = os.urandom(min(remaining, 1 << 20))
            handle.write(block)
            digest.update(block)
            remaining -= len(block)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()


@dataclass
class Delivery:
    lost: list[str]
    duplicates: list[str]
    rows: int


@dataclass
class SyncRig:
    root: Path
    server_settings: ServerSettings
    server_env: dict[str, str]
    world: SyncWorld = field(init=False)
    server: KillableServer = field(init=False)
    proxy: CutProxy = field(init=False)
    answers: dict[str, FinishedAnswer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        migrated(self.server_settings)
        self.world = seed_world(self.server_settings, questions=12)
        self.server = KillableServer(env=self.server_env, log_path=self.root / "server.log")
        self.proxy = CutProxy(target_port=self.server.port).start()
        self.station_dir = self.root / "station"
        self.identity = StationIdentity(
            server_url=self.proxy.url,
            station_id=self.world.station_id,
            station_name="Lobby kiosk",
            organization_name="Acme",
            credential=self.world.station_credential,
        )
        save_identity(self.station_dir / "station-identity.json", self.identity)
        self.outbox = Outbox.open(self.station_dir / "station.db")

    # -- station ------------------------------------------------------------------------------
    def new_interview(self) -> str:
        return add_interview(self.server_settings, self.world)

    def record_answer(
        self,
        question: int,
        size: int,
        *,
        attempt: int = 1,
        transcript: bool = True,
        interview_id: str | None = None,
    ) -> FinishedAnswer:
        answer_id = str(uuid.uuid4())
        media = self.station_dir / "media" / f"{answer_id}.mp4"
        sha = write_recording(media, size)
        answer = FinishedAnswer(
            answer_id=answer_id,
            interview_id=interview_id or self.world.interview_id,
            question_id=self.world.question_ids[question],
            attempt=attempt,
            media_path=media,
            media_sha256=sha,
            duration_seconds=30.0,
            recorded_at=datetime.now(UTC),
            transcript=Transcript(text=f"answer {question}", language="en", model="tiny.en")
            if transcript
            else None,
        )
        self.outbox.add_answer(answer)
        self.answers[answer_id] = answer
        return answer

    def sync_loop(self, *, chunk_size: int = 1 << 20) -> SyncLoop:
        client = station_client(self.identity, timeout=10.0)
        return SyncLoop(
            self.outbox, client, chunk_size=chunk_size, backoff=Backoff(base=0.05, cap=0.5), idle_seconds=0.2
        )

    def station_env(self) -> dict[str, str]:
        return {
            "INTERVIEW_STATION_DATA_DIR": str(self.station_dir),
            "INTERVIEW_STATION_SYNC_CHUNK_BYTES": str(1 << 20),
            "INTERVIEW_STATION_SYNC_BACKOFF_MAX_SECONDS": "1",
        }

    # -- server truth ------------------------------------------------------------------------
    def delivery(self) -> Delivery:
        """Compare the station's answers with the server's response rows and stored media."""
        engine = build_engine(self.server_settings)
        try:
            with Session(engine) as session:
                interviews = {a.interview_id for a in self.answers.values()} or {self.world.interview_id}
                rows = session.scalars(select(Response).where(Response.interview_id.in_(interviews))).all()
        finally:
            engine.dispose()
        by_answer = Counter(r.client_answer_id for r in rows)
        by_slot = Counter((r.interview_id, r.question_id, r.attempt) for r in rows)
        duplicates = [a for a, n in by_answer.items() if n > 1] + [
            f"{i}/{q}#{a}" for (i, q, a), n in by_slot.items() if n > 1
        ]
        lost = []
        for answer_id, answer in self.answers.items():
            matching = [r for r in rows if r.client_answer_id == answer_id]
            if not matching or matching[0].media_object_key is None:
                lost.append(answer_id)
                continue
            stored = self.server_settings.media_dir / matching[0].media_object_key
            if (
                matching[0].media_sha256 != answer.media_sha256
                or _sha256(stored) != answer.media_sha256
                or (
                    answer.transcript is not None
                    and (matching[0].transcript or {}).get("text") != answer.transcript.text
                )
            ):
                lost.append(answer_id)
        return Delivery(lost=lost, duplicates=duplicates, rows=len(rows))

    def forget_delivery(self, answer_id: str) -> None:
        """Make the station believe it never sent this answer (a journal restored from a backup)."""
        with self.outbox._transaction() as db:
            db.execute(
                "UPDATE outbox_answers SET upload_url = NULL, media_confirmed_at = NULL, response_id = NULL,"
                " transcript_confirmed_at = NULL WHERE answer_id = ?",
                (answer_id,),
            )

    def server_offsets(self) -> list[tuple[int, int]]:
        """(offset, length) of every incomplete upload of the station, as the server recorded it."""
        engine = build_engine(self.server_settings)
        try:
            with Session(engine) as session:
                rows = session.execute(
                    select(Upload.offset, Upload.length).where(
                        Upload.station_id == self.world.station_id, Upload.completed_at.is_(None)
                    )
                ).all()
        finally:
            engine.dispose()
        return [(int(o), int(n or 0)) for o, n in rows]

    def wait_mid_upload(self, timeout: float = 30.0) -> None:
        """Block until some upload has bytes on the server but is not complete."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(0 < offset < length for offset, length in self.server_offsets()):
                return
            time.sleep(0.02)
        raise AssertionError("no upload reached the middle in time")

    def close(self) -> None:
        self.proxy.stop()
        self.server.stop()
        self.outbox.close()


def _sha256(path: Path) -> str | None:
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def rig_settings(
    root: Path, database_url: str, redis_url: str, redis_prefix: str
) -> tuple[ServerSettings, dict[str, str]]:
    data_dir = root / "server"
    env = {
        "INTERVIEW_SERVER_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "INTERVIEW_SERVER_REDIS_KEY_PREFIX": redis_prefix,
        "INTERVIEW_SERVER_LOG_LEVEL": "warning",
        "INTERVIEW_SERVER_STATION_RATE_LIMIT": "100000/minute",
    }
    settings = ServerSettings(
        data_dir=data_dir, database_url=database_url, redis_url=redis_url, redis_key_prefix=redis_prefix
    )  # type: ignore[call-arg]
    return settings, env
