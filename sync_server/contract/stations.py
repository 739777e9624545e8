"""Stations: enrollment, credentials, heartbeats, and what a station sends about its interview."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class EnrollmentCodeCreate(BaseModel):
    station_name: str = Field(min_length=1, max_length=200)
    expires_in_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)


class EnrollmentCodeCreated(BaseModel):
    id: str
    station_name: str
    enrollment_code: str = Field(description="Shown only in this response; single use.")
    expires_at: datetime


class StationEnrollRequest(BaseModel):
    enrollment_code: str = Field(min_length=1, max_length=64)
    app_version: str | None = Field(default=None, max_length=64)


class StationEnrolled(BaseModel):
    station_id: str
    station_name: str
    organization_name: str
    credential: str = Field(description="The station's bearer token. Shown once; keep it safe.")


class StationOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    app_version: str | None
    revoked_at: datetime | None


class HeartbeatRequest(BaseModel):
    app_version: str | None = Field(default=None, max_length=64)
    pending_uploads: int = Field(default=0, ge=0, le=1_000_000)


class HeartbeatAck(BaseModel):
    station_id: str
    server_time: datetime


class StationSessionRequest(BaseModel):
    access_code: str = Field(min_length=1, max_length=64, description="What the candidate typed.")


class StationInterviewStatus(StrEnum):
    in_progress = "in_progress"
    completed = "completed"


class StationInterviewUpdate(BaseModel):
    """A station reports progress: consent given (in_progress) and the interview finished (completed)."""

    status: StationInterviewStatus
    consent_version: str | None = Field(default=None, max_length=64)
    consent_given_at: datetime | None = None


class StationInterviewState(BaseModel):
    interview_id: str
    status: str
    consent_version: str | None
    consent_given_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
