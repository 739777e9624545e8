"""A job's pipeline: where each candidate stands, with their scores, gathered from the server's lists."""

from dataclasses import dataclass, field

from desktop_app.desk.api import DeskApi, JobInsights
from desktop_app.desk.export import JobRow
from sync_server.contract import CandidateOut, InterviewOut, InterviewStatus, JobOut

STAGES = (
    "not_invited",
    "invited",
    "in_progress",
    "declined",  # the candidate did not consent at the station
    "completed",
    "scored",
    "shortlisted",
    "rejected",
)


@dataclass(frozen=True)
class PipelineRow:
    candidate_id: str
    candidate_name: str
    candidate_email: str
    stage: str
    interview_id: str | None = None
    match_score: float | None = None
    interview_score: float | None = None
    rating: float | None = None
    decision: str = ""
    decision_note: str = ""

    def as_job_row(self) -> JobRow:
        return JobRow(
            candidate_name=self.candidate_name,
            candidate_email=self.candidate_email,
            status=self.stage.replace("_", " "),
            match_score=self.match_score,
            interview_score=self.interview_score,
            rating=self.rating,
            decision=self.decision,
            decision_note=self.decision_note,
        )


@dataclass(frozen=True)
class JobPipeline:
    job: JobOut
    rows: list[PipelineRow]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)


def latest_interview(interviews: list[InterviewOut]) -> InterviewOut | None:
    live = [i for i in interviews if i.status not in (InterviewStatus.cancelled, InterviewStatus.expired)]
    pool = live or interviews
    return max(pool, key=lambda i: i.created_at) if pool else None


def stage_of(interview: InterviewOut | None, *, scored: bool, decision: str) -> str:
    if decision in ("shortlist", "shortlisted"):
        return "shortlisted"
    if decision in ("reject", "rejected"):
        return "rejected"
    if interview is None or interview.status in (InterviewStatus.cancelled, InterviewStatus.expired):
        return "not_invited"
    if interview.status == InterviewStatus.completed:
        return "scored" if scored else "completed"
    return interview.status.value


@dataclass(frozen=True)
class PipelineFacts:
    """What the lists say (fast); the AI insights are gathered separately because the first match of
    a server may take seconds (it loads its embedding model)."""

    job: JobOut
    candidates: list[CandidateOut]
    interviews: dict[str, list[InterviewOut]]


def gather_facts(api: DeskApi, job_id: str) -> PipelineFacts:
    job = api.job(job_id)
    by_candidate: dict[str, list[InterviewOut]] = {}
    for found in api.interviews(job_id=job_id):
        by_candidate.setdefault(found.candidate_id, []).append(found)
    return PipelineFacts(job, api.candidates(job_id=job_id), by_candidate)


def gather_insights(api: DeskApi, facts: PipelineFacts) -> JobInsights:
    return api.job_insights(facts.job.id, candidates=facts.candidates, interviews=facts.interviews)


def assemble(facts: PipelineFacts, insights: JobInsights | None) -> JobPipeline:
    """Everyone who applied to the job, at their stage, with match and interview scores where known."""
    rows = []
    for candidate in facts.candidates:
        interview = latest_interview(facts.interviews.get(candidate.id, []))
        insight = insights.per_candidate.get(candidate.id) if insights else None
        decision = insight.decision if insight else ""
        interview_score = insight.interview_score if insight else None
        rows.append(
            PipelineRow(
                candidate_id=candidate.id,
                candidate_name=candidate.full_name,
                candidate_email=candidate.email or "",
                stage=stage_of(interview, scored=interview_score is not None, decision=decision),
                interview_id=interview.id if interview else None,
                match_score=insight.match_score if insight else None,
                interview_score=interview_score,
                rating=insight.rating if insight else None,
                decision=decision,
                decision_note=insight.decision_note if insight else "",
            )
        )
    counts = dict.fromkeys(STAGES, 0)
    for row in rows:
        counts[row.stage] += 1
    notes = insights.notes if insights else ["Gathering match and interview scores…"]
    return JobPipeline(job=facts.job, rows=rows, counts=counts, notes=notes)


def build_pipeline(api: DeskApi, job_id: str) -> JobPipeline:
    """The whole pipeline in one (slow) call: facts, then AI insights."""
    facts = gather_facts(api, job_id)
    return assemble(facts, gather_insights(api, facts))
