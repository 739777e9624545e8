"""Stations: enrollment, credentials, heartbeats, and what a station sends about its interview."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from sync_server.contract.base import ContractModel
from sync_server.contract.timestamps import ReportedTime


class EnrollmentCodeCreate(ContractModel):
    station_name: str = Field(min_length=1, max_length=200)
    expires_in_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)


class EnrollmentCodeCreated(BaseModel):
    id: str
    station_name: str
    enrollment_code: str = Field(description="Shown only in this response; single use.")
    expires_at: datetime


class StationEnrollRequest(ContractModel):
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
    pending_uploads: int | None = Field(
        default=None,
        description="Answers waiting in the station's outbox at its last heartbeat (null: never said).",
    )
    pending_uploads_reported_at: datetime | None = None


class HeartbeatRequest(ContractModel):
    app_version: str | None = Field(default=None, max_length=64)
    pending_uploads: int = Field(
        default=0, ge=0, le=1_000_000, description="Answers in the outbox the server has not confirmed yet."
    )


class HeartbeatAck(BaseModel):
    station_id: str
    server_time: datetime


class StationSessionRequest(ContractModel):
    access_code: str = Field(min_length=1, max_length=64, description="What the candidate typed.")


class StationInterviewStatus(StrEnum):
    in_progress = "in_progress"
    completed = "completed"
    declined = "declined"


class StationInterviewUpdate(ContractModel):
    """A station reports the candidate's consent outcome and the interview's progress.

    - consent given: status `in_progress` with `consent_version`, `consent_given_at` and `people_only`;
    - consent declined: status `declined` with `declined_at` (nothing is recorded after it);
    - all answers recorded: status `completed`.
    """

    status: StationInterviewStatus
    consent_version: str | None = Field(default=None, max_length=64)
    consent_given_at: ReportedTime | None = None
    people_only: bool | None = Field(
        default=None,
        description="The candidate asked to be evaluated by people only: no AI sees their answers. "
        "Once true it stays true.",
    )
    declined_at: ReportedTime | None = Field(default=None, description="When the candidate declined consent.")

    @model_validator(mode="after")
    def _decline_carries_no_consent(self) -> "StationInterviewUpdate":
        if self.status is StationInterviewStatus.declined and (
            self.consent_version is not None or self.consent_given_at is not None or self.people_only
        ):
            raise ValueError("A declined consent cannot carry a consent version, time or people-only choice.")
        return self


class StationInterviewState(BaseModel):
    interview_id: str
    status: str
    consent_version: str | None
    consent_given_at: datetime | None
    people_only: bool
    declined_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
