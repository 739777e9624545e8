"""The output shape of question generation, whichever provider produced it."""

from typing import Literal

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel


class DraftQuestion(
    ContractModel
):  # a provider's text with control characters is a bad answer, tried elsewhere
    text: str = Field(min_length=10, max_length=600)
    type: Literal["technical", "behavioral", "situational"]
    key_points: list[str] = Field(min_length=1, max_length=8)
    rationale: str = Field(default="", max_length=400)
    source: str = Field(default="llm", max_length=64)
    think_seconds: int = Field(default=30, ge=0, le=600)
    answer_seconds: int = Field(default=120, ge=5, le=1800)


class DraftQuestions(BaseModel):
    questions: list[DraftQuestion] = Field(min_length=1, max_length=20)
