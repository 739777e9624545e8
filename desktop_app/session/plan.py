"""Reading an interview plan (sync_server.contract.InterviewPlan) and what it means for each question."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from desktop_app.errors import PlanError
from sync_server.contract import InterviewPlan, PlanQuestion


def load_plan(path: Path) -> InterviewPlan:
    """Read a plan file; a file holding only `questions` gets defaults for the rest.

    Raises:
        PlanError: the file is missing, not JSON, or not a valid plan (the sentence says where).
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanError(
            f"The interview plan {path} could not be read ({exc.strerror or exc}).",
            fix="Give the path of an existing plan JSON file.",
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"The interview plan {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            fix="Fix the JSON syntax.",
        ) from None
    try:
        plan = InterviewPlan.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'plan'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise PlanError(
            f"The interview plan {path} is not valid ({problems}).",
            fix='A plan needs at least "questions": [{"id", "text", "answer_seconds", ...}].',
        ) from None
    ids = [q.id for q in plan.questions]
    if len(set(ids)) != len(ids):
        raise PlanError(
            f"The interview plan {path} uses a question id twice.", fix="Give each question its own id."
        )
    return plan


def plan_fingerprint(plan: InterviewPlan) -> str:
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True)
class QuestionLimits:
    """A question's times and attempts after the candidate's accommodations."""

    think_seconds: float
    answer_seconds: float
    attempts_allowed: int


def limits_for(plan: InterviewPlan, question: PlanQuestion) -> QuestionLimits:
    extra = plan.accommodations
    return QuestionLimits(
        think_seconds=question.think_seconds * extra.time_multiplier,
        answer_seconds=question.answer_seconds * extra.time_multiplier,
        attempts_allowed=question.max_attempts + extra.extra_attempts,
    )
