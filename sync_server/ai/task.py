"""What a provider is asked to do, and what comes back."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

OutputT = TypeVar("OutputT", bound=BaseModel)


class AITask(ABC, Generic[OutputT]):
    """One unit of AI work with a fixed output schema.

    LLM providers send `system_prompt` + `user_prompt` and ask for JSON matching `output_schema`; the chain
    validates that JSON and then calls `check`, which raises InvalidOutput for output that is well-formed
    but wrong (for example a quote that is not in the transcript). The local provider calls `run_locally`.
    """

    name: str
    prompt_version: str
    #: Version of the local implementation, recorded instead of prompt_version when it served.
    local_version: str
    output_schema: type[OutputT]

    @abstractmethod
    def system_prompt(self) -> str: ...

    @abstractmethod
    def user_prompt(self) -> str: ...

    def check(self, output: OutputT) -> OutputT:
        """Reject (raise InvalidOutput) or normalize a schema-valid output. Default: accept."""
        return output

    @abstractmethod
    def run_locally(self) -> OutputT: ...

    def json_schema(self) -> dict[str, Any]:
        return self.output_schema.model_json_schema()


@dataclass(frozen=True)
class TokenUsage:
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class RawOutput:
    """What a provider returned before validation: JSON text (LLMs) or a ready object (local)."""

    text: str | None = None
    value: BaseModel | None = None
    usage: TokenUsage = field(default_factory=TokenUsage)
    prompt_version: str | None = None


@dataclass(frozen=True)
class AIResult(Generic[OutputT]):
    """A validated output and where it came from."""

    value: OutputT
    provider: str
    model: str
    prompt_version: str
    latency_ms: float
    usage: TokenUsage
    attempts: int
    fallbacks: tuple[str, ...] = ()
