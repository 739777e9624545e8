"""The default question bank (resources/question_bank.json) reviewers pick questions from."""

import json
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from desktop_app.errors import ConfigError
from sync_server.contract import QuestionIn

BANK_FILE = Path(__file__).resolve().parents[2] / "resources" / "question_bank.json"


@lru_cache
def load_question_bank(path: Path = BANK_FILE) -> tuple[QuestionIn, ...]:
    """Every bank question, validated by the same rules the server applies."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(QuestionIn.model_validate(item) for item in data["questions"])
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise ConfigError(f"The question bank {path} could not be read ({exc}).") from None
