"""An AnswerSink that writes finished answers into a plain folder (the headless runner's --out DIR).

For each answer: the media file (moved or copied in), `<stem>.transcript.json` in the contract's
Transcript shape (once known) and `<stem>.answer.json` with the answer's metadata and metrics.
Every write goes to a temporary name and is renamed, and delivering the same answer twice
rewrites the same files, so a resumed session never leaves duplicates.
"""

import json
import os
import shutil
from pathlib import Path
from typing import Any

from desktop_app.store.answers import FinishedAnswer
from sync_server.contract import Transcript


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class DirectoryAnswerSink:
    """Finished answers as files in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._stems: dict[str, str] = {}

    def media_path_for(self, answer: FinishedAnswer) -> Path:
        return self.directory / answer.media_path.name

    def add_answer(self, answer: FinishedAnswer) -> None:
        target = self.media_path_for(answer)
        if answer.media_path.resolve() != target.resolve():
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(answer.media_path, tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        stem = target.stem
        self._stems[answer.answer_id] = stem
        metadata: dict[str, Any] = {
            "answer_id": answer.answer_id,
            "interview_id": answer.interview_id,
            "question_id": answer.question_id,
            "attempt": answer.attempt,
            "media_file": target.name,
            "media_sha256": answer.media_sha256,
            "duration_seconds": answer.duration_seconds,
            "recorded_at": answer.recorded_at.isoformat(),
            "transcript_file": f"{stem}.transcript.json" if answer.transcript is not None else None,
            "transcript_status": "done" if answer.transcript is not None else "pending",
            "metrics": answer.metrics,
        }
        if answer.transcript is not None:
            self._write_transcript(stem, answer.transcript)
        _write_atomically(self.directory / f"{stem}.answer.json", json.dumps(metadata, indent=2))

    def set_transcript(self, answer_id: str, transcript: Transcript) -> None:
        stem = self._stems.get(answer_id) or self._find_stem(answer_id)
        self._write_transcript(stem, transcript)
        meta_path = self.directory / f"{stem}.answer.json"
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        metadata.update(transcript_file=f"{stem}.transcript.json", transcript_status="done")
        _write_atomically(meta_path, json.dumps(metadata, indent=2))

    def _write_transcript(self, stem: str, transcript: Transcript) -> None:
        _write_atomically(self.directory / f"{stem}.transcript.json", transcript.model_dump_json(indent=2))

    def _find_stem(self, answer_id: str) -> str:
        for meta in self.directory.glob("*.answer.json"):
            if json.loads(meta.read_text(encoding="utf-8")).get("answer_id") == answer_id:
                return meta.name.removesuffix(".answer.json")
        raise KeyError(f"no answer {answer_id} in {self.directory}")
