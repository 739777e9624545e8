"""Question sets: the ordered questions an interview asks."""

from datetime import datetime

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel
from sync_server.contract.plan import QuestionType


class QuestionIn(ContractModel):
    text: str = Field(min_length=1, max_length=2000)
    type: QuestionType = QuestionType.behavioral
    key_points: list[str] = Field(
        default_factory=list, max_length=20, description="What a good answer covers."
    )
    think_seconds: int = Field(default=30, ge=0, le=600)
    answer_seconds: int = Field(default=120, ge=5, le=1800)
    max_attempts: int = Field(default=1, ge=1, le=10)


class QuestionOut(QuestionIn):
    id: str
    position: int


class QuestionSetCreate(ContractModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    questions: list[QuestionIn] = Field(min_length=1, max_length=100)


class QuestionSetUpdate(ContractModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    questions: list[QuestionIn] | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Replaces the questions; refused once an interview has answers to this set.",
    )


class QuestionSetOut(BaseModel):
    id: str
    name: str
    description: str
    questions: list[QuestionOut]
    created_at: datetime
    updated_at: datetime


class QuestionSetSummary(BaseModel):
    id: str
    name: str
    description: str
    question_count: int
    created_at: datetime
    updated_at: datetime
