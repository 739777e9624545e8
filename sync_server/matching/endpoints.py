"""`/api/v1/jobs/{id}/matches`, `/api/v1/candidates/{id}/similar` and `/api/v1/candidates/{id}/profile`."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.ai.runtime import ai_services
from sync_server.candidates.service import get_candidate
from sync_server.contract.ai import CVProfileOut, MatchOut, RequirementMatchOut, SimilarCandidateOut
from sync_server.deps import RequireHR, SessionDep, SettingsDep
from sync_server.jobs.service import get_job
from sync_server.matching.scoring import MatchResult
from sync_server.matching.service import JobText
from sync_server.models import Candidate, CVProfile
from sync_server.openapi import error_responses

router = APIRouter(tags=["matching"])

_404 = error_responses(404)


def _names(session: Session, organization_id: str, candidate_ids: list[str]) -> dict[str, str]:
    """Names of the candidates that still exist (not erased) in the organization."""
    if not candidate_ids:
        return {}
    rows = session.execute(
        select(Candidate.id, Candidate.full_name).where(
            Candidate.organization_id == organization_id,
            Candidate.id.in_(candidate_ids),
            Candidate.erased_at.is_(None),
        )
    ).all()
    return {row.id: row.full_name for row in rows}


def match_out(result: MatchResult, name: str) -> MatchOut:
    return MatchOut(
        candidate_id=result.candidate_id,
        candidate_name=name,
        score=result.score,
        explanation=result.explanation(),
        requirements=[
            RequirementMatchOut(
                requirement=r.requirement,
                status=r.status,
                similarity=r.similarity,
                evidence=r.evidence,
                evidence_section=r.evidence_section,
                skills_list_only=r.skills_list_only,
            )
            for r in result.requirements
        ],
        missing=result.missing,
    )


@router.get("/jobs/{job_id}/matches", response_model=list[MatchOut], responses=_404)
def job_matches(
    job_id: str,
    user: RequireHR,
    session: SessionDep,
    settings: SettingsDep,
    scope: Annotated[
        Literal["applicants", "pool"],
        Query(
            description="applicants: candidates who applied to this job; pool: every CV of the organization."
        ),
    ] = "applicants",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[MatchOut]:
    """Candidates ranked by how well their CV meets the job's requirements, with the evidence."""
    job = get_job(session, organization_id=user.organization_id, job_id=job_id)
    job_text = JobText(job.id, job.title, job.description, job.requirements)
    matching = ai_services(settings).matching
    if scope == "pool":
        results = matching.rank(organization_id=user.organization_id, job=job_text, limit=limit)
    else:
        applicants = session.scalars(
            select(Candidate.id).where(
                Candidate.organization_id == user.organization_id,
                Candidate.job_id == job.id,
                Candidate.erased_at.is_(None),
                Candidate.cv_status == "done",
            )
        ).all()
        results = [
            matching.match(organization_id=user.organization_id, job=job_text, candidate_id=cid)
            for cid in applicants
        ]
        results.sort(key=lambda r: (-r.score, r.candidate_id))
        results = results[:limit]
    names = _names(session, user.organization_id, [r.candidate_id for r in results])
    return [match_out(r, names[r.candidate_id]) for r in results if r.candidate_id in names]


@router.get("/candidates/{candidate_id}/similar", response_model=list[SimilarCandidateOut], responses=_404)
def similar_candidates(
    candidate_id: str,
    user: RequireHR,
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SimilarCandidateOut]:
    """Candidates whose CVs describe similar experience ("candidates like this one")."""
    get_candidate(session, organization_id=user.organization_id, candidate_id=candidate_id)
    neighbours = ai_services(settings).matching.similar_candidates(
        organization_id=user.organization_id, candidate_id=candidate_id, limit=limit
    )
    names = _names(session, user.organization_id, [n.candidate_id for n in neighbours])
    return [
        SimilarCandidateOut(
            candidate_id=n.candidate_id,
            candidate_name=names[n.candidate_id],
            similarity=round(n.similarity, 3),
        )
        for n in neighbours
        if n.candidate_id in names
    ]


@router.get("/candidates/{candidate_id}/profile", response_model=CVProfileOut, responses=_404)
def cv_profile(candidate_id: str, user: RequireHR, session: SessionDep) -> CVProfileOut:
    """What screening read from the CV: skills, years of experience, education, recent titles."""
    candidate = get_candidate(session, organization_id=user.organization_id, candidate_id=candidate_id)
    row = session.scalars(
        select(CVProfile).where(
            CVProfile.candidate_id == candidate.id, CVProfile.organization_id == user.organization_id
        )
    ).one_or_none()
    return CVProfileOut(
        candidate_id=candidate.id,
        cv_status=candidate.cv_status,
        error=row.error if row else None,
        skills=list(row.skills) if row else [],
        years_experience=row.years_experience if row else None,
        education=list(row.education) if row else [],
        recent_titles=list(row.recent_titles) if row else [],
    )
