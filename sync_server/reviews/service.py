"""Reviews: each reviewer keeps one review per answer, changed in place (the audit log keeps history)."""

from sqlalchemy.orm import Session

from sync_server.audit.service import record
from sync_server.contract import ReviewDecision, ReviewIn, ReviewOut
from sync_server.contract.base import as_plain_text
from sync_server.errors import NotFound
from sync_server.models import Review
from sync_server.reviews import repository


def review_out(review: Review) -> ReviewOut:
    # as_plain_text: a comment stored before control characters were refused still reads back
    return ReviewOut(
        id=review.id,
        response_id=review.response_id,
        reviewer_id=review.reviewer_id,
        rating=review.rating,
        comment=as_plain_text(review.comment),
        override_score=review.override_score,
        override_reason=as_plain_text(review.override_reason),
        decision=ReviewDecision(review.decision) if review.decision else None,
        decision_note=as_plain_text(review.decision_note),
        created_at=review.created_at,
        updated_at=review.updated_at,
    )


def _check_response(session: Session, organization_id: str, response_id: str) -> None:
    if not repository.response_exists(session, organization_id=organization_id, response_id=response_id):
        raise NotFound("No response with that id.")


def my_review(session: Session, *, organization_id: str, response_id: str, reviewer_id: str) -> Review:
    _check_response(session, organization_id, response_id)
    review = repository.review_by(
        session, organization_id=organization_id, response_id=response_id, reviewer_id=reviewer_id
    )
    if review is None:
        raise NotFound("You have not reviewed this answer yet.")
    return review


def save_review(
    session: Session, *, organization_id: str, response_id: str, reviewer_id: str, data: ReviewIn
) -> Review:
    _check_response(session, organization_id, response_id)
    review = repository.review_by(
        session, organization_id=organization_id, response_id=response_id, reviewer_id=reviewer_id
    )
    if review is None:
        review = Review(organization_id=organization_id, response_id=response_id, reviewer_id=reviewer_id)
        session.add(review)
    review.rating = data.rating
    review.comment = data.comment
    review.override_score = data.override_score
    review.override_reason = (data.override_reason or "").strip() or None
    review.decision = data.decision.value if data.decision else None
    review.decision_note = data.decision_note
    session.flush()
    record(
        session,
        organization_id=organization_id,
        actor=("user", reviewer_id),
        action="review.saved",
        target_type="response",
        target_id=response_id,
        details={
            "rating": data.rating,
            "override_score": data.override_score,
            "override_reason": review.override_reason,
            "decision": review.decision,
        },
    )
    session.commit()
    return review


def all_reviews(session: Session, *, organization_id: str, response_id: str) -> list[Review]:
    _check_response(session, organization_id, response_id)
    return repository.reviews_of(session, organization_id=organization_id, response_id=response_id)
