"""SQLAlchemy models. Import every model module here so Alembic sees the whole metadata."""

from sync_server.models.ai import CVProfile, InterviewSummary
from sync_server.models.audit import AuditEntry
from sync_server.models.background_jobs import DeadJob
from sync_server.models.base import Base, new_id, utcnow
from sync_server.models.candidates import Candidate
from sync_server.models.interviews import (
    INTERVIEW_STATUSES,
    SCORE_STATUSES,
    Interview,
    Response,
    Review,
    Score,
)
from sync_server.models.invites import Invite
from sync_server.models.jobs import Job
from sync_server.models.organizations import Organization, RefreshToken, User
from sync_server.models.question_sets import Question, QuestionSet
from sync_server.models.stations import EnrollmentCode, Station
from sync_server.models.uploads import Upload

__all__ = [
    "INTERVIEW_STATUSES",
    "SCORE_STATUSES",
    "AuditEntry",
    "Base",
    "CVProfile",
    "Candidate",
    "DeadJob",
    "EnrollmentCode",
    "Interview",
    "InterviewSummary",
    "Invite",
    "Job",
    "Organization",
    "Question",
    "QuestionSet",
    "RefreshToken",
    "Response",
    "Review",
    "Score",
    "Station",
    "Upload",
    "User",
    "new_id",
    "utcnow",
]
