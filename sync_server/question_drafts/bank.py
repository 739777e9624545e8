"""The question bank in resources/question_bank.json: ready questions and {skill} templates."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BANK_FILE = Path(__file__).resolve().parents[2] / "resources" / "question_bank.json"


@dataclass(frozen=True)
class BankQuestion:
    id: str
    text: str
    type: str
    roles: tuple[str, ...]
    key_points: tuple[str, ...]
    think_seconds: int
    answer_seconds: int
    max_attempts: int
    is_template: bool

    def filled(self, skill: str) -> "BankQuestion":
        return BankQuestion(
            id=self.id,
            text=self.text.replace("{skill}", skill),
            type=self.type,
            roles=self.roles,
            key_points=tuple(p.replace("{skill}", skill) for p in self.key_points),
            think_seconds=self.think_seconds,
            answer_seconds=self.answer_seconds,
            max_attempts=self.max_attempts,
            is_template=False,
        )

    @property
    def searchable_text(self) -> str:
        """What the question is about, for semantic ranking: its text and what a good answer covers."""
        return f"{self.text} {'; '.join(self.key_points)}".replace("{skill}", "")


@lru_cache(maxsize=2)
def load_bank(path: Path = BANK_FILE) -> tuple[BankQuestion, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    questions = []
    for is_template, items in ((False, data["questions"]), (True, data.get("templates", []))):
        for item in items:
            questions.append(
                BankQuestion(
                    id=str(item["id"]),
                    text=str(item["text"]),
                    type=str(item["type"]),
                    roles=tuple(item.get("roles", ["any"])),
                    key_points=tuple(item.get("key_points", [])),
                    think_seconds=int(item.get("think_seconds", 30)),
                    answer_seconds=int(item.get("answer_seconds", 120)),
                    max_attempts=int(item.get("max_attempts", 1)),
                    is_template=is_template,
                )
            )
    return tuple(questions)
