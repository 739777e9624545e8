"""What the review screens show, in plain dataclasses the widgets take (independent of wire details)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.desk.errors import DeskError

CRITERION_LABELS = {
    "relevance": "Relevance to the question",
    "key_point_coverage": "Coverage of the key points",
    "specificity": "Specificity and evidence",
    "clarity": "Clarity and structure",
}


def criterion_label(name: str) -> str:
    return CRITERION_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class CriterionView:
    name: str
    score: float | None
    quote: str = ""
    start_seconds: float | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return criterion_label(self.name)


@dataclass(frozen=True)
class ScoreView:
    """An AI score as the reviewer reads it; `scored` False means "not enough to score" with `reason`."""

    scored: bool
    overall: float | None = None
    criteria: Sequence[CriterionView] = ()
    feedback: str = ""
    reason: str = ""
    provider: str = ""
    model: str = ""
    version: int = 1


class Decision(StrEnum):
    shortlist = "shortlist"
    reject = "reject"


@dataclass(frozen=True)
class ReviewDraft:
    """What a reviewer fills in for one answer (rating, comment, override) and the candidate (decision)."""

    rating: int | None = None
    comment: str = ""
    override_score: float | None = None
    override_reason: str = ""
    decision: Decision | None = None
    decision_note: str = ""

    def check(self) -> "ReviewDraft":
        """Raise one sentence when the draft can't be saved as it is."""
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise DeskError("A rating is from 1 to 5.")
        if self.override_score is not None:
            if not 1 <= self.override_score <= 5:
                raise DeskError("An override score is from 1 to 5.")
            if not self.override_reason.strip():
                raise DeskError(
                    "Overriding the AI score needs a reason.", fix="Say why your score differs from the AI's."
                )
        if (
            self.rating is None
            and not self.comment.strip()
            and self.override_score is None
            and self.decision is None
        ):
            raise DeskError(
                "There is nothing to save yet.", fix="Give a rating, a comment, an override or a decision."
            )
        return self


def marked_snippet(
    snippet: str, spans: Sequence[tuple[int, int]], *, open_mark: str = "«", close_mark: str = "»"
) -> str:
    """The snippet as plain text with the matching words between marks; neighbours separated only by
    spaces share one pair («regression test», not «regression» «test»)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(len(snippet), end)
        if start >= end:
            continue
        if merged and not snippet[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    parts, cursor = [], 0
    for start, end in merged:
        parts += [snippet[cursor:start], open_mark, snippet[start:end], close_mark]
        cursor = end
    parts.append(snippet[cursor:])
    return "".join(parts)
