"""Shapes shared by every endpoint."""

from typing import Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """The one error shape: a machine-readable kind and a human sentence."""

    error: str = Field(examples=["NotFound"])
    detail: str = Field(examples=["No interview with that id."])


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class ReadinessStatus(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str] = Field(
        description="Each dependency and its state: 'ok', 'not configured' or the failure reason."
    )
