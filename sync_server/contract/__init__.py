"""The wire contract: every request and response the station and the review desk exchange.

Imports nothing but pydantic (enforced by import-linter), so clients can depend on it
without the server's stack.
"""

from sync_server.contract.common import ErrorBody, HealthStatus, ReadinessStatus
from sync_server.contract.plan import (
    Accommodations,
    ConsentNotice,
    InterviewPlan,
    OrganizationBranding,
    PlanQuestion,
    QuestionType,
)
from sync_server.contract.transcript import Transcript, TranscriptSegment, TranscriptWord

__all__ = [
    "Accommodations",
    "ConsentNotice",
    "ErrorBody",
    "HealthStatus",
    "InterviewPlan",
    "OrganizationBranding",
    "PlanQuestion",
    "QuestionType",
    "ReadinessStatus",
    "Transcript",
    "TranscriptSegment",
    "TranscriptWord",
]
