"""The configured fallback chain: timeouts, retries with backoff, a breaker and usage metering per call."""

import json
import time
from collections.abc import Sequence
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from sync_server.ai.breaker import CircuitBreaker
from sync_server.ai.errors import AIUnavailable, InvalidOutput, ProviderFailure
from sync_server.ai.provider import Provider
from sync_server.ai.task import AIResult, AITask, RawOutput
from sync_server.ai.usage import UsageMeter

log = structlog.get_logger(__name__)

OutputT = TypeVar("OutputT", bound=BaseModel)


def _worth_retrying(exc: BaseException) -> bool:
    if isinstance(exc, ProviderFailure):
        return exc.transient
    return isinstance(exc, InvalidOutput)


def parse_output(task: AITask[OutputT], raw: RawOutput) -> OutputT:
    """Validate a provider's raw output against the task's schema and checks, or raise InvalidOutput."""
    if raw.value is not None:
        if not isinstance(raw.value, task.output_schema):
            raise InvalidOutput(f"expected {task.output_schema.__name__}, got {type(raw.value).__name__}")
        return task.check(raw.value)
    text = (raw.text or "").strip()
    if text.startswith("```"):
        # Some OpenAI-compatible servers wrap JSON in a Markdown fence despite the response format.
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidOutput(f"not JSON ({exc.msg} at position {exc.pos})") from None
    try:
        value = task.output_schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidOutput(f"does not match the schema ({where}: {first['msg']})") from None
    return task.check(value)


class ProviderChain:
    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        breaker: CircuitBreaker,
        meter: UsageMeter,
        timeout_seconds: float,
        max_attempts: int,
        retry_base_seconds: float,
    ) -> None:
        if not providers:
            raise ValueError("the provider chain needs at least one provider")
        self.providers = list(providers)
        self.breaker = breaker
        self.meter = meter
        self.timeout_seconds = timeout_seconds
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds

    def run(self, task: AITask[OutputT], *, organization_id: str) -> AIResult[OutputT]:
        """Run the task on the first provider that gives valid output; raise AIUnavailable if none does."""
        failures: list[str] = []
        for provider in self.providers:
            if provider.metered and self.meter.over_cap(organization_id):
                failures.append(f"{provider.name}: monthly AI token cap reached")
                continue
            if not self.breaker.allow(provider.name):
                failures.append(f"{provider.name}: circuit open after repeated failures")
                continue
            started = time.perf_counter()
            attempts = 0
            try:
                for attempt in Retrying(
                    stop=stop_after_attempt(self.max_attempts),
                    wait=wait_exponential_jitter(
                        initial=self.retry_base_seconds, max=max(self.retry_base_seconds * 8, 0.001)
                    ),
                    retry=retry_if_exception(_worth_retrying),
                    reraise=False,
                ):
                    with attempt:
                        attempts += 1
                        raw = self._generate(provider, task)
                        if provider.metered:
                            # Tokens are spent even when the output is then rejected.
                            self.meter.record(
                                organization_id,
                                provider=provider.name,
                                input_tokens=raw.usage.input_tokens,
                                output_tokens=raw.usage.output_tokens,
                            )
                        value = parse_output(task, raw)
            except RetryError as exc:
                reason = _describe(exc.last_attempt.exception())
                self._fail(provider, task, reason, attempts, failures)
                continue
            except (ProviderFailure, InvalidOutput) as exc:
                self._fail(provider, task, _describe(exc), attempts, failures)
                continue
            self.breaker.record_success(provider.name)
            latency_ms = (time.perf_counter() - started) * 1000
            log.info(
                "ai_task_done",
                task=task.name,
                provider=provider.name,
                model=provider.model,
                attempts=attempts,
                latency_ms=round(latency_ms, 1),
                input_tokens=raw.usage.input_tokens,
                output_tokens=raw.usage.output_tokens,
                organization_id=organization_id,
            )
            return AIResult(
                value=value,
                provider=provider.name,
                model=provider.model,
                prompt_version=raw.prompt_version or task.prompt_version,
                latency_ms=latency_ms,
                usage=raw.usage,
                attempts=attempts,
                fallbacks=tuple(failures),
            )
        raise AIUnavailable(f"No AI provider could complete {task.name}: " + "; ".join(failures) + ".")

    def _generate(self, provider: Provider, task: AITask[Any]) -> RawOutput:
        try:
            return provider.generate(task, timeout=self.timeout_seconds)
        except (ProviderFailure, InvalidOutput):
            raise
        except Exception as exc:
            # A crash inside a provider or its SDK is a failure of that provider, not of the request.
            log.exception("ai_provider_crashed", task=task.name, provider=provider.name)
            raise ProviderFailure(provider.name, f"crashed ({type(exc).__name__})", transient=False) from None

    def _fail(
        self, provider: Provider, task: AITask[Any], reason: str, attempts: int, failures: list[str]
    ) -> None:
        self.breaker.record_failure(provider.name)
        failures.append(f"{provider.name}: {reason}")
        log.warning(
            "ai_provider_failed", task=task.name, provider=provider.name, attempts=attempts, reason=reason
        )


def _describe(exc: BaseException | None) -> str:
    if isinstance(exc, ProviderFailure):
        return exc.reason
    if isinstance(exc, InvalidOutput):
        return f"invalid output: {exc}"
    return type(exc).__name__ if exc else "unknown failure"
