"""OpenAI (or any OpenAI-compatible server) through the official SDK, asking for schema-shaped JSON."""

from typing import Any

import openai

from sync_server.ai.errors import ProviderFailure
from sync_server.ai.task import AITask, RawOutput, TokenUsage


class OpenAIProvider:
    name = "openai"
    metered = True

    def __init__(self, *, api_key: str, model: str, base_url: str | None = None) -> None:
        self.model = model
        # The chain owns retries and timeouts; the SDK's own retries would hide failures from the breaker.
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0)

    def generate(self, task: AITask[Any], *, timeout: float) -> RawOutput:
        try:
            completion = self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": task.system_prompt()},
                    {"role": "user", "content": task.user_prompt()},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": task.name, "schema": task.json_schema(), "strict": False},
                },
                temperature=0,
                timeout=timeout,
            )
        except openai.APITimeoutError:
            raise ProviderFailure(self.name, f"no answer within {timeout:g} s", transient=True) from None
        except openai.APIConnectionError as exc:
            raise ProviderFailure(
                self.name, f"connection failed ({type(exc).__name__})", transient=True
            ) from None
        except openai.APIStatusError as exc:
            transient = exc.status_code == 429 or exc.status_code >= 500
            raise ProviderFailure(self.name, f"HTTP {exc.status_code}", transient=transient) from None
        if not completion.choices:
            raise ProviderFailure(self.name, "the answer had no choices", transient=True)
        text = completion.choices[0].message.content or ""
        usage = completion.usage
        return RawOutput(
            text=text,
            usage=TokenUsage(
                input_tokens=usage.prompt_tokens if usage else 0,
                output_tokens=usage.completion_tokens if usage else 0,
            ),
        )
