"""The interview plan a station receives (and `run --headless --plan FILE` reads)."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sync_server.contract.base import ContractModel


class QuestionType(StrEnum):
    technical = "technical"
    behavioral = "behavioral"
    situational = "situational"


class PlanQuestion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)
    type: QuestionType = QuestionType.behavioral
    think_seconds: int = Field(default=30, ge=0, le=600)
    answer_seconds: int = Field(default=120, ge=5, le=1800)
    max_attempts: int = Field(default=1, ge=1, le=10)


class OrganizationBranding(BaseModel):
    name: str = "Interview Station"
    logo_url: str | None = None
    colors: dict[str, str] = Field(default_factory=dict)


class ConsentNotice(BaseModel):
    version: str = "default-1"
    text: str = (
        "This interview is recorded on video and audio. Your answers are transcribed on this "
        "station and shared with the hiring team of the organization that invited you. AI may "
        "help the team evaluate the written transcript of your answers; a person makes every "
        "decision, and you may ask to be evaluated by people only. Recordings are kept only as "
        "long as the organization's retention policy allows, and you can ask for them to be "
        "deleted at any time."
    )
    # The organization's retention period, so the candidate reads how long before agreeing. None: the
    # organization keeps recordings until it deletes them (no automatic purge).
    retention_days: int | None = Field(default=None, ge=1, le=3650)


class Accommodations(ContractModel):
    time_multiplier: float = Field(default=1.0, ge=1.0, le=4.0)
    extra_attempts: int = Field(default=0, ge=0, le=5)
    large_text: bool = False


class InterviewPlan(BaseModel):
    """Everything a station needs to run one interview, offline once fetched."""

    model_config = ConfigDict(extra="ignore")

    interview_id: str = "local"
    candidate_display_name: str = ""
    organization: OrganizationBranding = Field(default_factory=OrganizationBranding)
    consent: ConsentNotice = Field(default_factory=ConsentNotice)
    accommodations: Accommodations = Field(default_factory=Accommodations)
    questions: list[PlanQuestion] = Field(min_length=1, max_length=100)
