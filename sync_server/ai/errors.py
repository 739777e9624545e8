"""Why a provider call did not give a usable result."""

from sync_server.errors import ServiceUnavailable


class ProviderFailure(Exception):
    """A provider call failed. `transient` failures (timeouts, 429, 5xx) are worth retrying."""

    def __init__(self, provider: str, reason: str, *, transient: bool) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.transient = transient


class InvalidOutput(Exception):
    """The provider answered, but the answer broke the task's schema or its checks (e.g. an invented quote)."""


class AIUnavailable(ServiceUnavailable):
    kind = "AIUnavailable"
