"""Exports a reviewer takes away: a per-candidate report (HTML; the UI prints it to PDF) and a per-job CSV.

Files appear whole or not at all (written to a temporary name, then renamed). CSV cells that a
spreadsheet would run as a formula are quoted, because names and comments come from outside.
"""

import csv
import html
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from desktop_app.desk.errors import ExportFailed


@dataclass(frozen=True)
class CriterionLine:
    name: str
    score: float | None
    comment: str = ""


@dataclass(frozen=True)
class EvidenceLine:
    quote: str
    start_seconds: float | None = None
    criterion: str = ""


@dataclass(frozen=True)
class QuestionReport:
    question: str
    ai_score: float | None = None
    criteria: Sequence[CriterionLine] = ()
    evidence: Sequence[EvidenceLine] = ()
    feedback: str = ""
    transcript: str = ""
    rating: int | None = None
    comment: str = ""
    override_score: float | None = None
    override_reason: str = ""


@dataclass(frozen=True)
class CandidateReport:
    candidate_name: str
    job_title: str
    candidate_email: str = ""
    match_score: float | None = None
    interview_score: float | None = None
    decision: str = ""
    decision_note: str = ""
    ai_summary: str = ""
    people_only: bool = False  # the candidate asked for people only: no AI score exists, by design
    questions: Sequence[QuestionReport] = ()
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class JobRow:
    candidate_name: str
    candidate_email: str
    status: str
    match_score: float | None
    interview_score: float | None
    rating: float | None
    decision: str
    decision_note: str = ""


JOB_CSV_COLUMNS = (
    "candidate",
    "email",
    "status",
    "match_score",
    "interview_score",
    "reviewer_rating",
    "decision",
    "decision_note",
)


def timestamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def render_candidate_html(report: CandidateReport) -> str:
    """A self-contained HTML page (no scripts, no external assets), simple enough for QTextDocument."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{e(report.candidate_name)} — {e(report.job_title)}</title>",
        "<style>body{font-family:sans-serif;color:#1f2933;margin:24px}"
        "h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;margin-top:22px;color:#102a43}"
        "table{border-collapse:collapse}td,th{border:1px solid #d9e2ec;padding:4px 8px;text-align:left}"
        ".muted{color:#627d98}.quote{font-style:italic}.override{color:#8d2b0b}</style></head><body>",
        f"<h1>{e(report.candidate_name)}</h1>",
        f"<p class='muted'>{e(report.job_title)}"
        + (f" · {e(report.candidate_email)}" if report.candidate_email else "")
        + f" · report made {report.generated_at:%Y-%m-%d %H:%M} UTC</p>",
        "<table><tr><th>Match score</th><th>Interview score</th><th>Decision</th></tr>",
        f"<tr><td>{_score(report.match_score)}</td><td>{_score(report.interview_score)}</td>"
        f"<td>{e(report.decision or 'none yet')}</td></tr></table>",
    ]
    if report.people_only:
        parts.append("<p><b>The candidate asked to be evaluated by people only — no AI score.</b></p>")
    if report.ai_summary:
        parts.append(f"<p><b>AI summary:</b> {e(report.ai_summary)}</p>")
    if report.decision_note:
        parts.append(f"<p><b>Decision note:</b> {e(report.decision_note)}</p>")
    for number, question in enumerate(report.questions, start=1):
        parts.append(f"<h2>Question {number}: {e(question.question)}</h2>")
        if report.people_only:
            if question.override_score is not None:
                parts.append(
                    f"<p><b>Reviewer's score:</b> {_score(question.override_score)}: "
                    f"{e(question.override_reason)}</p>"
                )
        else:
            parts.append(f"<p><b>AI score:</b> {_score(question.ai_score)}")
            if question.override_score is not None:
                parts.append(
                    f" <span class='override'>· overridden to {_score(question.override_score)}: "
                    f"{e(question.override_reason)}</span>"
                )
            parts.append("</p>")
        if question.criteria:
            parts.append("<table><tr><th>Criterion</th><th>Score</th><th>Why</th></tr>")
            parts.extend(
                f"<tr><td>{e(c.name)}</td><td>{_score(c.score)}</td><td>{e(c.comment)}</td></tr>"
                for c in question.criteria
            )
            parts.append("</table>")
        if question.evidence:
            parts.append("<p><b>Evidence</b></p><ul>")
            parts.extend(
                f"<li><span class='quote'>“{e(ev.quote)}”</span>"
                + (
                    f" <span class='muted'>at {timestamp(ev.start_seconds)}</span>"
                    if ev.start_seconds is not None
                    else ""
                )
                + (f" <span class='muted'>({e(ev.criterion)})</span>" if ev.criterion else "")
                + "</li>"
                for ev in question.evidence
            )
            parts.append("</ul>")
        if question.feedback:
            parts.append(f"<p><b>Feedback:</b> {e(question.feedback)}</p>")
        if question.rating is not None or question.comment:
            rating = f"{question.rating}/5" if question.rating is not None else "not rated"
            parts.append(
                f"<p><b>Reviewer:</b> {rating}"
                + (f" — {e(question.comment)}" if question.comment else "")
                + "</p>"
            )
        if question.transcript:
            parts.append(f"<p class='muted'><b>Transcript:</b> {e(question.transcript)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> Path:
    """Write through a temporary file in the same folder, then rename: a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ExportFailed(
            f"Can't write to {path.parent} ({exc.strerror}).", fix="Choose another folder."
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportFailed(
            f"Can't write {path.name} ({exc.strerror}).", fix="Choose another folder."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_candidate_html(report: CandidateReport, path: Path) -> Path:
    text = render_candidate_html(report)

    def write(out: TextIO) -> None:
        out.write(text)

    return write_atomically(path, write)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    text = str(value)
    # Text starting like a formula would run in a spreadsheet (CSV injection); keep it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_job_csv(
    rows: Iterable[JobRow], path: Path, *, on_progress: Callable[[int], None] | None = None
) -> Path:
    def write(out: TextIO) -> None:
        writer = csv.writer(out)
        writer.writerow(JOB_CSV_COLUMNS)
        for count, row in enumerate(rows, start=1):
            writer.writerow(
                _cell(v)
                for v in (
                    row.candidate_name,
                    row.candidate_email,
                    row.status,
                    row.match_score,
                    row.interview_score,
                    row.rating,
                    row.decision,
                    row.decision_note,
                )
            )
            if on_progress is not None:
                on_progress(count)

    return write_atomically(path, write)
