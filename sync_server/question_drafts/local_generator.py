"""Draft questions without an LLM: pick bank questions closest to the job (and the CV), fill templates.

Ranking is by similarity between each bank question (with its key points) and the job's individual
requirements, so a nursing job gets nursing questions and a backend job gets backend ones; a mix of
technical, behavioral and situational questions is kept.
"""

import threading
from dataclasses import dataclass

from sync_server.ai.text import tokens
from sync_server.matching.embedder import Embedder, Vectors
from sync_server.question_drafts.bank import BankQuestion, load_bank
from sync_server.question_drafts.schemas import DraftQuestion, DraftQuestions

TYPE_SHARE = {"technical": 0.4, "behavioral": 0.35, "situational": 0.25}
ROLE_BONUS = 0.08
# How much a question's intended roles (nurse, sales, software engineer...) resembling the job title
# moves its rank; "any" questions sit at NEUTRAL_ROLE_SIMILARITY.
ROLE_WEIGHT = 0.4
NEUTRAL_ROLE_SIMILARITY = 0.35
# A question written for specific roles is used only when one of them is close to the job's title
# (relative to the closest role in the bank): no sales-pipeline questions for a backend engineer.
ROLE_MARGIN = 0.2
MIN_ROLE_SIMILARITY = 0.3


@dataclass(frozen=True)
class DraftRequest:
    job_title: str
    requirements: list[str]
    job_skills: list[str]
    cv_skills: list[str]
    count: int


# The bank's embeddings, per embedder and bank: computed once per process, not once per draft.
_bank_vectors: dict[tuple[int, int], tuple[Vectors, Vectors]] = {}
_bank_lock = threading.Lock()


class LocalQuestionGenerator:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.bank = load_bank()
        self._roles = sorted({role for q in self.bank for role in q.roles if role != "any"})

    def _embedded_bank(self) -> tuple[Vectors, Vectors]:
        key = (id(self.embedder), id(self.bank))
        with _bank_lock:
            if key not in _bank_vectors:
                _bank_vectors[key] = (
                    self.embedder.encode([q.searchable_text for q in self.bank]),
                    self.embedder.encode(self._roles),
                )
            return _bank_vectors[key]

    def _vectors(self) -> Vectors:
        return self._embedded_bank()[0]

    def _role_similarity(self, job_title: str) -> dict[str, float]:
        role_vectors = self._embedded_bank()[1]
        title = self.embedder.encode_one(job_title)
        return dict(zip(self._roles, (role_vectors @ title).tolist(), strict=True))

    def generate(self, request: DraftRequest) -> DraftQuestions:
        queries = [*request.requirements, request.job_title] if request.requirements else [request.job_title]
        if request.cv_skills:
            queries.append("Experience with " + ", ".join(request.cv_skills[:12]))
        query_vectors = self.embedder.encode(queries)
        sims = self._vectors() @ query_vectors.T  # bank x queries
        relevance = 0.7 * sims.max(axis=1) + 0.3 * sims.mean(axis=1)
        title_words = set(tokens(request.job_title))
        role_similarity = self._role_similarity(request.job_title)
        role_floor = max(MIN_ROLE_SIMILARITY, max(role_similarity.values(), default=0.0) - ROLE_MARGIN)
        eligible = [True] * len(self.bank)
        for i, question in enumerate(self.bank):
            specific = [role for role in question.roles if role != "any"]
            if any(set(tokens(role)) & title_words for role in specific):
                relevance[i] += ROLE_BONUS
            fit = max((role_similarity[r] for r in specific), default=NEUTRAL_ROLE_SIMILARITY)
            if "any" in question.roles:
                fit = max(fit, NEUTRAL_ROLE_SIMILARITY)
            elif fit < role_floor:
                eligible[i] = False
            relevance[i] += ROLE_WEIGHT * (fit - NEUTRAL_ROLE_SIMILARITY)
        order = sorted(
            (i for i in range(len(self.bank)) if eligible[i]),
            key=lambda i: (-float(relevance[i]), self.bank[i].id),
        )

        skill = self._focus_skill(request)
        wanted = {kind: max(1, round(share * request.count)) for kind, share in TYPE_SHARE.items()}
        chosen: list[tuple[BankQuestion, float]] = []
        seen_text: set[str] = set()
        for i in order:
            question = self.bank[i]
            if question.is_template:
                if skill is None or any(q.is_template for q, _ in chosen):
                    continue  # one template per draft, and only with a skill to fill it
                question = question.filled(skill)
                question = BankQuestion(**{**question.__dict__, "is_template": True})
            if wanted.get(question.type, 0) <= 0 or question.text in seen_text:
                continue
            chosen.append((question, float(relevance[i])))
            seen_text.add(question.text)
            wanted[question.type] -= 1
            if len(chosen) == request.count:
                break
        return DraftQuestions(
            questions=[
                DraftQuestion(
                    text=q.text,
                    type=q.type,
                    key_points=list(q.key_points),
                    rationale=(
                        f"Bank question matched to the job (similarity {score:.2f})"
                        + (f"; filled with {skill}." if q.is_template else ".")
                    ),
                    source=f"bank:{q.id}",
                    think_seconds=q.think_seconds,
                    answer_seconds=q.answer_seconds,
                )
                for q, score in chosen
            ]
        )

    @staticmethod
    def _focus_skill(request: DraftRequest) -> str | None:
        """A skill the job asks for, preferably one the CV also claims (so the question can probe it)."""
        shared = [s for s in request.job_skills if s in set(request.cv_skills)]
        if shared:
            return shared[0]
        return request.job_skills[0] if request.job_skills else None
