"""Administration: the audit log and background jobs that failed."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    id: str
    actor_type: str
    actor_id: str | None
    action: str
    target_type: str
    target_id: str | None
    details: dict[str, Any]
    ip_address: str | None
    created_at: datetime


class DeadJobOut(BaseModel):
    id: str
    job_name: str
    arguments: dict[str, Any]
    attempts: int
    error: str
    created_at: datetime
    retried_at: datetime | None
