"""Gather everything a candidate report holds from the server (the report itself is in `export`)."""

from collections.abc import Callable

from desktop_app.desk.api import DeskApi
from desktop_app.desk.errors import DeskError
from desktop_app.desk.export import CandidateReport, CriterionLine, EvidenceLine, QuestionReport
from desktop_app.desk.pipeline import latest_interview

ReportProgress = Callable[[int, int], None]
"""(answers gathered, answers in total)."""


def gather_candidate_report(
    api: DeskApi, candidate_id: str, *, on_progress: ReportProgress | None = None
) -> CandidateReport:
    candidate = api.candidate(candidate_id)
    job = api.job(candidate.job_id) if candidate.job_id else None
    interview = latest_interview(api.interviews(candidate_id=candidate_id))
    if interview is None:
        raise DeskError(f"{candidate.full_name} has no interview to report on yet.")
    detail = api.interview(interview.id)
    questions = {q.id: q for q in api.question_set(detail.question_set_id).questions}
    latest = {}
    for response in sorted(detail.responses, key=lambda r: r.attempt):
        latest[response.question_id] = response  # the last attempt is the one that counts
    ordered = sorted(
        latest.values(),
        key=lambda r: questions[r.question_id].position if r.question_id in questions else 10_000,
    )
    reports = []
    scores = []
    for done, response in enumerate(ordered, start=1):
        question = questions.get(response.question_id)
        transcript = api.transcript(response.id) if response.has_transcript else None
        score = None if detail.people_only else api.score(response.id)
        review = api.review(response.id)
        effective = (
            review.override_score
            if review and review.override_score is not None
            else (score.overall if score else None)
        )
        if effective is not None:
            scores.append(effective)
        reports.append(
            QuestionReport(
                question=question.text if question else "(question removed)",
                ai_score=score.overall if score else None,
                criteria=[CriterionLine(c.label, c.score, c.reason) for c in score.criteria] if score else [],
                evidence=[EvidenceLine(c.quote, c.start_seconds, c.label) for c in score.criteria if c.quote]
                if score
                else [],
                feedback=(score.feedback or score.reason) if score else "",
                transcript=transcript.text if transcript else "",
                rating=review.rating if review else None,
                comment=review.comment if review else "",
                override_score=review.override_score if review else None,
                override_reason=review.override_reason if review else "",
            )
        )
        if on_progress is not None:
            on_progress(done, len(ordered))
    decided = [r for r in (api.review_out(x.id) for x in ordered) if r is not None and r.decision]
    decision = max(decided, key=lambda r: r.updated_at) if decided else None
    summary = None if detail.people_only else api.interview_summary(detail.id)
    return CandidateReport(
        candidate_name=candidate.full_name,
        candidate_email=candidate.email or "",
        job_title=job.title if job else "",
        interview_score=round(sum(scores) / len(scores), 2) if scores else None,
        ai_summary=summary.summary if summary else "",
        people_only=detail.people_only,
        decision=decision.decision.value if decision and decision.decision else "",
        decision_note=decision.decision_note if decision else "",
        questions=reports,
    )
