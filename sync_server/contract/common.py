"""Shapes shared by every endpoint."""

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

ItemT = TypeVar("ItemT")

MAX_PAGE_SIZE = 100


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


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: `items` in the requested order, `total` matching items overall."""

    items: list[ItemT]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(ge=0)
