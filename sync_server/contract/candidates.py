"""Candidates (people records; they never log in)."""

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from sync_server.contract.base import ContractModel

CV_MAX_BYTES = 10 * 1024 * 1024
CV_CONTENT_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
)


class CandidateUpdate(ContractModel):
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


class CandidateErase(ContractModel):
    """Why the candidate's data is erased (kept in the audit log; the candidate's name and email are
    taken out of it)."""

    reason: str = Field(min_length=3, max_length=500, description="Why, e.g. 'Candidate asked for deletion'.")

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = " ".join(value.split())  # control characters are refused by ContractModel
        if len(value) < 3:
            raise ValueError("say in a few words why the candidate's data is erased")
        return value


class CandidateErased(BaseModel):
    candidate_id: str
    erased_at: datetime
    already_erased: bool = Field(
        description="True when an earlier request had erased it (this one finished what was left)."
    )
    files_deleted: int = Field(description="Stored files (answers, transcripts, CV) deleted by this request.")
