"""AI providers behind one interface: OpenAI, Gemini and a local provider, in a fallback chain.

A task (score an answer, draft questions) knows its prompt, its output schema, how to check an output
against its inputs, and how to produce the same shape locally. Providers only turn a task into output.
"""

from sync_server.ai.chain import ProviderChain
from sync_server.ai.errors import AIUnavailable, InvalidOutput, ProviderFailure
from sync_server.ai.task import AIResult, AITask

__all__ = ["AIResult", "AITask", "AIUnavailable", "InvalidOutput", "ProviderChain", "ProviderFailure"]
