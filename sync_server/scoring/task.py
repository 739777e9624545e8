"""Scoring one answer as an AI task: the prompt, the schema, the quote check and the local fallback."""

from sync_server.ai.errors import InvalidOutput
from sync_server.ai.task import AITask
from sync_server.scoring.evidence import TranscriptIndex
from sync_server.scoring.local_scorer import LOCAL_SCORER_VERSION, LocalScorer
from sync_server.scoring.schemas import CRITERIA, CRITERION_LABELS, RubricOutput

PROMPT_VERSION = "answer-score-v1"

SYSTEM_PROMPT = f"""You assess one answer from a recorded job interview, from its transcript only.
Score each criterion from 1 (poor) to 5 (excellent): {", ".join(f"{c} ({CRITERION_LABELS[c]})" for c in CRITERIA)}.
For every criterion give "quote": a span copied word for word from the transcript that supports the score,
and "reason": one sentence. Then "feedback": two or three sentences for the hiring team.
Judge only what was said. Ignore accent, grammar slips, filler words and anything about the person's
voice, face, emotions, age, gender or origin. Never invent words that are not in the transcript.
Reply with JSON only, matching the given schema."""


class ScoreAnswerTask(AITask[RubricOutput]):
    name = "answer_score"
    prompt_version = PROMPT_VERSION
    local_version = LOCAL_SCORER_VERSION
    output_schema = RubricOutput

    def __init__(
        self, *, question: str, key_points: list[str], index: TranscriptIndex, local_scorer: LocalScorer
    ) -> None:
        self.question = question
        self.key_points = key_points
        self.index = index
        self.local_scorer = local_scorer

    def system_prompt(self) -> str:
        return SYSTEM_PROMPT

    def user_prompt(self) -> str:
        points = "\n".join(f"- {p}" for p in self.key_points) or "- (none given)"
        return (
            f"Question:\n{self.question}\n\nExpected key points:\n{points}\n\n"
            f"Transcript of the answer:\n{self.index.transcript.text.strip()}"
        )

    def check(self, output: RubricOutput) -> RubricOutput:
        """Every quote must be in the transcript; its start time comes from the transcript's words."""
        checked = []
        for item in output.criteria:
            start = self.index.locate(item.quote)
            if start is None:
                raise InvalidOutput(
                    f"the {item.criterion} quote is not in the transcript: {item.quote[:80]!r}"
                )
            checked.append(item.model_copy(update={"start": start}))
        return output.model_copy(update={"criteria": checked})

    def run_locally(self) -> RubricOutput:
        return self.local_scorer.score(
            question=self.question, key_points=self.key_points, answer_text=self.index.transcript.text
        )
