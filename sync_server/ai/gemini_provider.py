"""Google Gemini through the google-genai SDK, asking for JSON that follows the task's schema."""

from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from sync_server.ai.errors import ProviderFailure
from sync_server.ai.task import AITask, RawOutput, TokenUsage


class GeminiProvider:
    name = "gemini"
    metered = True

    def __init__(self, *, api_key: str, model: str, base_url: str | None = None) -> None:
        self.model = model
        self._client = genai.Client(api_key=api_key, http_options=types.HttpOptions(base_url=base_url))

    def generate(self, task: AITask[Any], *, timeout: float) -> RawOutput:
        config = types.GenerateContentConfig(
            system_instruction=task.system_prompt(),
            response_mime_type="application/json",
            response_json_schema=task.json_schema(),
            temperature=0,
            http_options=types.HttpOptions(timeout=int(timeout * 1000)),
        )
        try:
            response = self._client.models.generate_content(
                model=self.model, contents=task.user_prompt(), config=config
            )
        except genai_errors.APIError as exc:
            code = int(exc.code or 0)
            transient = code in (408, 429) or code >= 500
            raise ProviderFailure(self.name, f"HTTP {code}", transient=transient) from None
        except Exception as exc:
            # The SDK sends through httpx or its fork httpx2, whichever is installed: match by class name.
            kinds = {cls.__name__ for cls in type(exc).__mro__}
            if "TimeoutException" in kinds:
                raise ProviderFailure(self.name, f"no answer within {timeout:g} s", transient=True) from None
            if "TransportError" in kinds:
                raise ProviderFailure(
                    self.name, f"connection failed ({type(exc).__name__})", transient=True
                ) from None
            raise
        usage = response.usage_metadata
        return RawOutput(
            text=response.text or "",
            usage=TokenUsage(
                input_tokens=(usage.prompt_token_count or 0) if usage else 0,
                output_tokens=(usage.candidates_token_count or 0) if usage else 0,
            ),
        )
