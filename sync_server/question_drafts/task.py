"""Question generation as an AI task: the prompt, its checks and the bank-based local fallback."""

from sync_server.ai.errors import InvalidOutput
from sync_server.ai.task import AITask
from sync_server.question_drafts.local_generator import DraftRequest, LocalQuestionGenerator
from sync_server.question_drafts.schemas import DraftQuestions

PROMPT_VERSION = "question-draft-v1"
LOCAL_VERSION = "bank-ranking-v1"

SYSTEM_PROMPT = """You draft structured interview questions for a one-way video interview.
Write questions a candidate can answer aloud in two or three minutes, each about the job's real work.
Mix technical, behavioral ("Tell me about a time...") and situational ("What would you do if...") questions.
For each give 3-5 key points a strong answer covers, written as content (what they would say or have done),
and one sentence of rationale linking it to the job. Never ask about age, family, health, religion,
nationality or other protected characteristics. Reply with JSON only, matching the given schema."""


class DraftQuestionsTask(AITask[DraftQuestions]):
    name = "question_drafts"
    prompt_version = PROMPT_VERSION
    local_version = LOCAL_VERSION
    output_schema = DraftQuestions

    def __init__(
        self,
        *,
        request: DraftRequest,
        job_description: str,
        cv_titles: list[str],
        generator: LocalQuestionGenerator,
    ) -> None:
        self.request = request
        self.job_description = job_description
        self.cv_titles = cv_titles
        self.generator = generator

    def system_prompt(self) -> str:
        return SYSTEM_PROMPT

    def user_prompt(self) -> str:
        requirements = "\n".join(f"- {r}" for r in self.request.requirements) or "- (none listed)"
        parts = [
            f"Job title: {self.request.job_title}",
            f"Description:\n{self.job_description.strip()[:3000]}",
            f"Requirements:\n{requirements}",
            f"Write exactly {self.request.count} questions.",
        ]
        if self.request.cv_skills or self.cv_titles:
            parts.append(
                "The candidate's CV lists these skills: "
                + ", ".join(self.request.cv_skills[:20])
                + ("; recent roles: " + ", ".join(self.cv_titles[:3]) if self.cv_titles else "")
                + ". Include questions that check the claimed experience."
            )
        return "\n\n".join(parts)

    def check(self, output: DraftQuestions) -> DraftQuestions:
        if len(output.questions) > self.request.count:
            output = DraftQuestions(questions=output.questions[: self.request.count])
        texts = [q.text.strip().lower() for q in output.questions]
        if len(set(texts)) != len(texts):
            raise InvalidOutput("the draft repeats a question")
        return output

    def run_locally(self) -> DraftQuestions:
        return self.generator.generate(self.request)
