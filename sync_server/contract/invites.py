"""Invites: the access code a candidate types at a station (shown once, stored hashed)."""

from datetime import datetime

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel
from sync_server.contract.plan import Accommodations

ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read and type
ACCESS_CODE_LENGTH = 10


class InviteCreate(ContractModel):
    candidate_id: str = Field(max_length=36)
    question_set_id: str | None = Field(
        default=None, max_length=36, description="Defaults to the job's question set."
    )
    job_id: str | None = Field(default=None, max_length=36, description="Defaults to the candidate's job.")
    expires_in_hours: int = Field(default=72, ge=1, le=24 * 60)
    accommodations: Accommodations = Field(default_factory=Accommodations)


class InviteOut(BaseModel):
    id: str
    interview_id: str
    candidate_id: str
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class InviteCreated(InviteOut):
    access_code: str = Field(description="Shown only in this response; the server keeps a hash.")
