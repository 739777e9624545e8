"""Score an answer: check there is enough to score, then run the rubric on the provider chain."""

from sync_server.ai.chain import ProviderChain
from sync_server.contract.transcript import Transcript
from sync_server.scoring.evidence import TranscriptIndex
from sync_server.scoring.local_scorer import LocalScorer
from sync_server.scoring.schemas import AnswerScore
from sync_server.scoring.sufficiency import insufficiency_reason
from sync_server.scoring.task import ScoreAnswerTask

SUFFICIENCY_RULES_VERSION = "sufficiency-v1"


def score_answer(
    *,
    chain: ProviderChain,
    local_scorer: LocalScorer,
    organization_id: str,
    question: str,
    key_points: list[str],
    transcript: Transcript,
) -> AnswerScore:
    """Score one answer. Raises AIUnavailable only when every provider, the local one included, failed."""
    reason = insufficiency_reason(transcript)
    if reason is not None:
        return AnswerScore(
            status="not_enough_to_score",
            reason=reason,
            provider="rules",
            model="-",
            prompt_version=SUFFICIENCY_RULES_VERSION,
        )
    task = ScoreAnswerTask(
        question=question, key_points=key_points, index=TranscriptIndex(transcript), local_scorer=local_scorer
    )
    result = chain.run(task, organization_id=organization_id)
    return AnswerScore(
        status="scored",
        overall=result.value.overall(),
        criteria=result.value.criteria,
        feedback=result.value.feedback,
        provider=result.provider,
        model=result.model,
        prompt_version=result.prompt_version,
        latency_ms=round(result.latency_ms, 1),
        input_tokens=result.usage.input_tokens,
        output_tokens=result.usage.output_tokens,
    )
