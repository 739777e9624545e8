"""Queries for reviews (always scoped by organization)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.models import Response, Review


def response_exists(session: Session, *, organization_id: str, response_id: str) -> bool:
    found = session.scalar(
        select(Response.id).where(Response.organization_id == organization_id, Response.id == response_id)
    )
    return found is not None


def review_by(session: Session, *, organization_id: str, response_id: str, reviewer_id: str) -> Review | None:
    return session.scalars(
        select(Review).where(
            Review.organization_id == organization_id,
            Review.response_id == response_id,
            Review.reviewer_id == reviewer_id,
        )
    ).one_or_none()


def reviews_of(session: Session, *, organization_id: str, response_id: str) -> list[Review]:
    return list(
        session.scalars(
            select(Review)
            .where(Review.organization_id == organization_id, Review.response_id == response_id)
            .order_by(Review.updated_at.desc(), Review.id)
        )
    )
