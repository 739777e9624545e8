"""Structured results of checks: a status, a human sentence, and what to do about it."""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    ok = "ok"
    warn = "warn"
    fail = "fail"


@dataclass(frozen=True)
class Finding:
    name: str
    status: Status
    message: str
    fix: str | None = None
    required: bool = True

    @property
    def blocks(self) -> bool:
        """A required check that failed stops the station from running interviews."""
        return self.required and self.status is Status.fail


def worst(findings: list[Finding]) -> Status:
    if any(f.status is Status.fail for f in findings):
        return Status.fail
    if any(f.status is Status.warn for f in findings):
        return Status.warn
    return Status.ok
