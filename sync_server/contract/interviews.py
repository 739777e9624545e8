"""Interviews (from an invite to completion) and their status changes."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel
from sync_server.contract.plan import Accommodations


class InterviewStatus(StrEnum):
    invited = "invited"
    in_progress = "in_progress"
    completed = "completed"
    expired = "expired"
    cancelled = "cancelled"
    declined = "declined"  # the candidate did not consent at the station; terminal


class InterviewOut(BaseModel):
    id: str
    candidate_id: str
    candidate_name: str
    job_id: str | None
    question_set_id: str
    station_id: str | None
    status: InterviewStatus
    accommodations: Accommodations
    consent_version: str | None
    consent_given_at: datetime | None
    people_only: bool = Field(
        default=False,
        description="The candidate asked to be evaluated by people only: no AI score or summary exists.",
    )
    declined_at: datetime | None = None
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ResponseSummary(BaseModel):
    id: str
    question_id: str
    attempt: int
    duration_seconds: float | None
    has_media: bool
    has_transcript: bool
    recorded_at: datetime | None


class InterviewDetail(InterviewOut):
    responses: list[ResponseSummary]


class InterviewStatusChange(ContractModel):
    """What a reviewer may do to an interview: cancel it (before completion) or mark it expired."""

    status: InterviewStatus
    reason: str = Field(default="", max_length=1000)
