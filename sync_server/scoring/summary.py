"""A whole-interview summary from the latest score of each question's latest answer."""

from dataclasses import dataclass

from sync_server.scoring.schemas import CRITERIA, CRITERION_LABELS


@dataclass(frozen=True)
class AnswerOutcome:
    status: str
    overall: float | None
    criteria: dict[str, int]


@dataclass(frozen=True)
class InterviewSummaryResult:
    overall: float | None
    criteria: dict[str, float]
    scored_answers: int
    unscored_answers: int
    summary: str


def summarize(outcomes: list[AnswerOutcome]) -> InterviewSummaryResult:
    scored = [o for o in outcomes if o.status == "scored" and o.overall is not None]
    unscored = len(outcomes) - len(scored)
    if not scored:
        return InterviewSummaryResult(
            None, {}, 0, unscored, f"None of the {len(outcomes)} answers held enough to score."
        )
    overall = round(sum(o.overall for o in scored if o.overall is not None) / len(scored), 1)
    criteria: dict[str, float] = {
        name: round(sum(o.criteria.get(name, 0) for o in scored) / len(scored), 1)
        for name in CRITERIA
        if any(name in o.criteria for o in scored)
    }
    best = max(CRITERIA, key=lambda c: criteria.get(c, 0.0))
    worst = min(CRITERIA, key=lambda c: criteria.get(c, 5.0))
    sentences = [f"{len(scored)} of {len(outcomes)} answers scored, averaging {overall}/5."]
    if best in criteria and worst in criteria and criteria[best] > criteria[worst]:
        sentences.append(
            f"Strongest on {CRITERION_LABELS[best]} ({criteria[best]}), "
            f"weakest on {CRITERION_LABELS[worst]} ({criteria[worst]})."
        )
    if unscored:
        sentences.append(f"{unscored} answer(s) had too little to score; listen to them directly.")
    return InterviewSummaryResult(overall, criteria, len(scored), unscored, " ".join(sentences))
