"""Job openings."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel


class JobStatus(StrEnum):
    open = "open"
    closed = "closed"


class JobCreate(ContractModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=50_000)
    requirements: str = Field(default="", max_length=50_000)
    question_set_id: str | None = Field(default=None, max_length=36)


class JobUpdate(ContractModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=50_000)
    requirements: str | None = Field(default=None, max_length=50_000)
    question_set_id: str | None = Field(default=None, max_length=36)
    status: JobStatus | None = None


class JobOut(BaseModel):
    id: str
    title: str
    description: str
    requirements: str
    status: JobStatus
    question_set_id: str | None
    created_at: datetime
    updated_at: datetime
