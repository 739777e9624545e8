"""`/api/v1/responses/{id}/review` (your review) and `/api/v1/responses/{id}/reviews` (everyone's)."""

from fastapi import APIRouter

from sync_server.contract import ReviewIn, ReviewOut
from sync_server.deps import RequireHR, SessionDep
from sync_server.openapi import error_responses
from sync_server.reviews import service

router = APIRouter(tags=["reviews"])


@router.get("/responses/{response_id}/review", response_model=ReviewOut, responses=error_responses(404))
def get_my_review(response_id: str, user: RequireHR, session: SessionDep) -> ReviewOut:
    """Your review of this answer (404 until you saved one)."""
    review = service.my_review(
        session, organization_id=user.organization_id, response_id=response_id, reviewer_id=user.id
    )
    return service.review_out(review)


@router.put("/responses/{response_id}/review", response_model=ReviewOut, responses=error_responses(404))
def save_my_review(response_id: str, body: ReviewIn, user: RequireHR, session: SessionDep) -> ReviewOut:
    """Save your rating, comment, override (with a reason) and decision for this answer."""
    review = service.save_review(
        session, organization_id=user.organization_id, response_id=response_id, reviewer_id=user.id, data=body
    )
    return service.review_out(review)


@router.get(
    "/responses/{response_id}/reviews", response_model=list[ReviewOut], responses=error_responses(404)
)
def list_reviews(response_id: str, user: RequireHR, session: SessionDep) -> list[ReviewOut]:
    """Every reviewer's review of this answer, latest first."""
    reviews = service.all_reviews(session, organization_id=user.organization_id, response_id=response_id)
    return [service.review_out(r) for r in reviews]
