"""The provider that needs no network: each task's own local implementation."""

from typing import Any

from sync_server.ai.task import AITask, RawOutput


class LocalProvider:
    name = "local"
    model = "local"
    metered = False

    def __init__(self, *, model_label: str = "local") -> None:
        self.model = model_label

    def generate(self, task: AITask[Any], *, timeout: float) -> RawOutput:
        # Local work is CPU-bound and bounded by the task itself; the timeout guards network calls only.
        return RawOutput(value=task.run_locally(), prompt_version=task.local_version)
