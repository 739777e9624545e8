"""Scoring quality on the evaluation set: specific answers against vague ones, and empty answers."""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from sync_server.scoring.local_scorer import LocalScorer
from sync_server.scoring.sufficiency import insufficiency_reason
from tests.support.transcripts import make_transcript

EVAL_FILE = Path(__file__).parent / "scoring.json"


@dataclass
class ScoringQuality:
    strong: dict[str, float] = field(default_factory=dict)
    vague: dict[str, float] = field(default_factory=dict)
    margins: dict[str, float] = field(default_factory=dict)
    empty_total: int = 0
    empty_not_scored: int = 0
    strong_or_vague_refused: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def mean_margin(self) -> float:
        return sum(self.margins.values()) / len(self.margins)

    @property
    def min_margin(self) -> float:
        return min(self.margins.values())


def load_items() -> list[dict[str, object]]:
    return json.loads(EVAL_FILE.read_text(encoding="utf-8"))["items"]  # type: ignore[no-any-return]


def evaluate(scorer: LocalScorer) -> ScoringQuality:
    quality = ScoringQuality()
    for item in load_items():
        question, key_points = str(item["question"]), list(item["key_points"])  # type: ignore[call-overload]
        overall = {}
        for kind in ("strong", "vague"):
            text = str(item[kind])
            if insufficiency_reason(make_transcript(text)) is not None:
                quality.strong_or_vague_refused.append(f"{item['id']}:{kind}")
            started = time.perf_counter()
            overall[kind] = scorer.score(question=question, key_points=key_points, answer_text=text).overall()
            quality.latencies_ms.append((time.perf_counter() - started) * 1000)
        quality.strong[str(item["id"])] = overall["strong"]
        quality.vague[str(item["id"])] = overall["vague"]
        quality.margins[str(item["id"])] = round(overall["strong"] - overall["vague"], 2)
        for text in item["empty"]:  # type: ignore[attr-defined]
            quality.empty_total += 1
            quality.empty_not_scored += insufficiency_reason(make_transcript(str(text))) is not None
    return quality
