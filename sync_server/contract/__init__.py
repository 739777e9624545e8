"""The wire contract: every request and response the station and the review desk exchange.

Imports nothing but pydantic (enforced by import-linter), so clients can depend on it
without the server's stack.
"""

from sync_server.contract.admin import AuditEntryOut, DeadJobOut
from sync_server.contract.auth import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    CurrentUserInfo,
    LoginRequest,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    Role,
    TokenPair,
)
from sync_server.contract.candidates import (
    CV_CONTENT_TYPES,
    CV_MAX_BYTES,
    CandidateErase,
    CandidateErased,
    CandidateOut,
    CandidateUpdate,
)
from sync_server.contract.common import MAX_PAGE_SIZE, ErrorBody, HealthStatus, Page, ReadinessStatus
from sync_server.contract.interviews import (
    InterviewDetail,
    InterviewOut,
    InterviewStatus,
    InterviewStatusChange,
    ResponseSummary,
)
from sync_server.contract.invites import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    InviteCreate,
    InviteCreated,
    InviteOut,
)
from sync_server.contract.jobs import JobCreate, JobOut, JobStatus, JobUpdate
from sync_server.contract.organizations import (
    OrganizationOut,
    OrganizationSettings,
    OrganizationUpdate,
    UserCreate,
    UserOut,
    UserUpdate,
)
from sync_server.contract.plan import (
    Accommodations,
    ConsentNotice,
    InterviewPlan,
    OrganizationBranding,
    PlanQuestion,
    QuestionType,
)
from sync_server.contract.question_sets import (
    QuestionIn,
    QuestionOut,
    QuestionSetCreate,
    QuestionSetOut,
    QuestionSetSummary,
    QuestionSetUpdate,
)
from sync_server.contract.reviews import ReviewDecision, ReviewIn, ReviewOut
from sync_server.contract.search import TRANSCRIPT_QUERY_MAX_LENGTH, TextSpan, TranscriptHit
from sync_server.contract.stations import (
    EnrollmentCodeCreate,
    EnrollmentCodeCreated,
    HeartbeatAck,
    HeartbeatRequest,
    StationEnrolled,
    StationEnrollRequest,
    StationInterviewState,
    StationInterviewStatus,
    StationInterviewUpdate,
    StationOut,
    StationSessionRequest,
)
from sync_server.contract.transcript import Transcript, TranscriptSegment, TranscriptWord
from sync_server.contract.uploads import TranscriptStored

__all__ = [
    "ACCESS_CODE_ALPHABET",
    "ACCESS_CODE_LENGTH",
    "CV_CONTENT_TYPES",
    "CV_MAX_BYTES",
    "MAX_PAGE_SIZE",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "TRANSCRIPT_QUERY_MAX_LENGTH",
    "Accommodations",
    "AuditEntryOut",
    "CandidateErase",
    "CandidateErased",
    "CandidateOut",
    "CandidateUpdate",
    "ConsentNotice",
    "CurrentUserInfo",
    "DeadJobOut",
    "EnrollmentCodeCreate",
    "EnrollmentCodeCreated",
    "ErrorBody",
    "HealthStatus",
    "HeartbeatAck",
    "HeartbeatRequest",
    "InterviewDetail",
    "InterviewOut",
    "InterviewPlan",
    "InterviewStatus",
    "InterviewStatusChange",
    "InviteCreate",
    "InviteCreated",
    "InviteOut",
    "JobCreate",
    "JobOut",
    "JobStatus",
    "JobUpdate",
    "LoginRequest",
    "LogoutRequest",
    "OrganizationBranding",
    "OrganizationOut",
    "OrganizationSettings",
    "OrganizationUpdate",
    "Page",
    "PasswordChange",
    "PlanQuestion",
    "QuestionIn",
    "QuestionOut",
    "QuestionSetCreate",
    "QuestionSetOut",
    "QuestionSetSummary",
    "QuestionSetUpdate",
    "QuestionType",
    "ReadinessStatus",
    "RefreshRequest",
    "ResponseSummary",
    "ReviewDecision",
    "ReviewIn",
    "ReviewOut",
    "Role",
    "StationEnrollRequest",
    "StationEnrolled",
    "StationInterviewState",
    "StationInterviewStatus",
    "StationInterviewUpdate",
    "StationOut",
    "StationSessionRequest",
    "TextSpan",
    "TokenPair",
    "Transcript",
    "TranscriptHit",
    "TranscriptSegment",
    "TranscriptStored",
    "TranscriptWord",
    "UserCreate",
    "UserOut",
    "UserUpdate",
]
