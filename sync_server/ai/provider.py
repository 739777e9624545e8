"""The one interface every provider implements."""

from typing import Any, Protocol

from sync_server.ai.task import AITask, RawOutput


class Provider(Protocol):
    name: str
    model: str
    #: Calls cost money/quota and count against the organization's monthly cap.
    metered: bool

    def generate(self, task: AITask[Any], *, timeout: float) -> RawOutput:
        """Run the task once. Raises ProviderFailure; never retries by itself."""
        ...
