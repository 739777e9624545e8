"""Candidates (people records; they never log in)."""

from datetime import datetime

from pydantic import BaseModel, Field

CV_MAX_BYTES = 10 * 1024 * 1024
CV_CONTENT_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
)


class CandidateUpdate(BaseModel):
    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    job_id: str | None = Field(default=None, max_length=36)


class CandidateOut(BaseModel):
    id: str
    full_name: str
    email: str | None
    job_id: str | None
    cv_filename: str | None
    cv_size: int | None
    cv_status: str | None = Field(description="None without a CV; pending, done or failed with one.")
    created_at: datetime
    updated_at: datetime
