"""`/api/v1/jobs/{id}/question-drafts`: a draft question set for HR to edit (nothing is saved)."""

from fastapi import APIRouter
from sqlalchemy import select

from sync_server.ai.runtime import ai_services
from sync_server.candidates.service import get_candidate
from sync_server.contract.ai import QuestionDraftIn, QuestionDraftOut, QuestionDraftSet
from sync_server.contract.plan import QuestionType
from sync_server.deps import RequireHR, SessionDep, SettingsDep
from sync_server.jobs.service import get_job
from sync_server.matching.passages import job_requirements
from sync_server.models import CVProfile
from sync_server.openapi import error_responses
from sync_server.question_drafts.local_generator import DraftRequest
from sync_server.question_drafts.task import DraftQuestionsTask
from sync_server.screening.profile import find_skills

router = APIRouter(tags=["question drafts"])


@router.post(
    "/jobs/{job_id}/question-drafts", response_model=QuestionDraftSet, responses=error_responses(404)
)
def draft_questions(
    job_id: str, body: QuestionDraftIn, user: RequireHR, session: SessionDep, settings: SettingsDep
) -> QuestionDraftSet:
    """Questions for this job (and this candidate's CV, if given), by an LLM or from the bank."""
    job = get_job(session, organization_id=user.organization_id, job_id=job_id)
    cv_skills: list[str] = []
    cv_titles: list[str] = []
    if body.candidate_id:
        candidate = get_candidate(
            session, organization_id=user.organization_id, candidate_id=body.candidate_id
        )
        profile = session.scalars(
            select(CVProfile).where(
                CVProfile.candidate_id == candidate.id, CVProfile.organization_id == user.organization_id
            )
        ).one_or_none()
        if profile is not None:
            cv_skills, cv_titles = list(profile.skills), list(profile.recent_titles)
    services = ai_services(settings)
    request = DraftRequest(
        job_title=job.title,
        requirements=job_requirements(job.requirements, job.description),
        job_skills=find_skills(f"{job.title}\n{job.description}\n{job.requirements}"),
        cv_skills=cv_skills,
        count=body.count,
    )
    task = DraftQuestionsTask(
        request=request,
        job_description=job.description,
        cv_titles=cv_titles,
        generator=services.question_generator,
    )
    result = services.chain.run(task, organization_id=user.organization_id)
    return QuestionDraftSet(
        job_id=job.id,
        questions=[
            QuestionDraftOut(
                text=q.text,
                type=QuestionType(q.type),
                key_points=q.key_points,
                think_seconds=q.think_seconds,
                answer_seconds=q.answer_seconds,
                source=q.source if q.source.startswith("bank:") else result.provider,
                rationale=q.rationale,
            )
            for q in result.value.questions
        ],
        provider=result.provider,
        model=result.model,
        prompt_version=result.prompt_version,
    )
