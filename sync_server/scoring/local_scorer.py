"""The scorer that needs no network: sentence similarity to the key points plus surface signals.

Deterministic for a given model. Every criterion quotes the answer sentence that drove its score.
Sentences that mostly repeat the question's own words count for little: echoing the question is not
an answer, and is what a vague answer usually does.
"""

import re
from dataclasses import dataclass

import numpy as np

from sync_server.ai.text import content_stems, split_sentences, tokens
from sync_server.matching.embedder import Embedder
from sync_server.scoring.schemas import CRITERION_LABELS, CriterionScore, RubricOutput
from sync_server.scoring.signals import concrete_details, filler_rate, structure_markers, vague_words

LOCAL_SCORER_VERSION = "local-rubric-v2"
QUOTE_MAX_WORDS = 30
ECHO_CAP_SHARE = 0.15
ECHO_CAP_SCORE = 3
# Rubric phrasing ("Describes the ...", "Gives a specific ...") says how to judge, not what to say.
META_WORDS_RE = re.compile(
    r"\b(describes?|explains?|states?|mentions?|gives?|shows?|names?|identifies|discuss(es)?|provides?|"
    r"specific|concrete|clear(ly)?|candidate|example|examples|answer)\b",
    re.IGNORECASE,
)


def key_point_content(point: str) -> str:
    return " ".join(META_WORDS_RE.sub(" ", point).split()) or point


def _scale(value: float, low: float, high: float) -> float:
    """Map value linearly from [low, high] onto [0, 1], clamped."""
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def _to_five(fraction: float) -> int:
    return int(min(5, max(1, round(1 + 4 * fraction))))


@dataclass(frozen=True)
class _Sentence:
    text: str
    echo: float  # share of its content words that are the question's words
    details: int
    vague: int


class LocalScorer:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def score(self, *, question: str, key_points: list[str], answer_text: str) -> RubricOutput:
        sentences = self._sentences(question, answer_text)
        texts = [s.text for s in sentences]
        points = [p for p in key_points if p.strip()] or [question]
        vectors = self.embedder.encode([*texts, question, *(key_point_content(p) for p in points)])
        sentence_vecs = vectors[: len(texts)]
        question_vec = vectors[len(texts)]
        point_vecs = vectors[len(texts) + 1 :]
        # An echo of the question keeps only a small part of its weight.
        weights = np.array([1.0 - 0.8 * s.echo for s in sentences], dtype=np.float32)

        question_sims = (sentence_vecs @ question_vec) * weights
        point_sims = (sentence_vecs @ point_vecs.T) * weights[:, None]  # sentences x key points
        # A key point counts as covered by a sentence that is about it AND says something concrete:
        # talking around the topic in general terms is not evidence of having done it.
        concreteness = np.array([0.4 + 0.6 * min(1.0, s.details / 3) for s in sentences], dtype=np.float32)
        evidence_sims = point_sims * concreteness[:, None]

        criteria = [
            self._relevance(sentences, question_sims, point_sims, question, answer_text),
            self._coverage(sentences, points, evidence_sims, question, answer_text),
            self._specificity(sentences, answer_text),
            self._clarity(sentences, answer_text),
        ]
        return RubricOutput(criteria=criteria, feedback=self._feedback(criteria, points, evidence_sims))

    # -- sentences -------------------------------------------------------------------------------
    def _sentences(self, question: str, answer_text: str) -> list[_Sentence]:
        question_stems = content_stems(question)
        result = []
        for text in split_sentences(answer_text, max_words=QUOTE_MAX_WORDS):
            stems = content_stems(text)
            echo = len(stems & question_stems) / len(stems) if stems else 1.0
            result.append(_Sentence(text, echo, concrete_details(text), vague_words(text)))
        return result

    # -- criteria --------------------------------------------------------------------------------
    def _relevance(
        self,
        sentences: list[_Sentence],
        question_sims: np.ndarray,
        point_sims: np.ndarray,
        question: str,
        answer_text: str,
    ) -> CriterionScore:
        per_sentence = np.maximum(question_sims, point_sims.max(axis=1))
        top = np.sort(per_sentence)[::-1][:3]
        score = _to_five(_scale(float(top.mean()), 0.1, 0.4))
        best = int(np.argmax(per_sentence))
        reason = (
            f"The most on-topic sentences reach a similarity of {float(top.mean()):.2f} to the question and "
            "key points, discounting sentences that only repeat the question."
        )
        # On topic is not the same as answering: an answer built from the question's own words is capped.
        answer_stems = content_stems(answer_text)
        echo = len(answer_stems & content_stems(question)) / len(answer_stems) if answer_stems else 1.0
        if echo >= ECHO_CAP_SHARE and score > ECHO_CAP_SCORE:
            score = ECHO_CAP_SCORE
            reason = f"On topic, but {echo:.0%} of its content words restate the question."
        return CriterionScore(criterion="relevance", score=score, quote=sentences[best].text, reason=reason)

    def _coverage(
        self,
        sentences: list[_Sentence],
        points: list[str],
        point_sims: np.ndarray,
        question: str,
        answer_text: str,
    ) -> CriterionScore:
        answer_stems = content_stems(answer_text)
        question_stems = content_stems(question)
        covered: list[float] = []
        for j, point in enumerate(points):
            semantic = _scale(float(point_sims[:, j].max()), 0.1, 0.4)
            # Words the question already contains prove nothing when the answer repeats them.
            wanted = content_stems(key_point_content(point)) - question_stems or content_stems(point)
            keyword = len(wanted & answer_stems) / len(wanted) if wanted else 0.0
            covered.append(0.7 * semantic + 0.3 * keyword)
        coverage = float(np.mean(covered))
        hit = [p for p, c in zip(points, covered, strict=True) if c >= 0.5]
        best_point = int(np.argmax(covered))
        best_sentence = int(np.argmax(point_sims[:, best_point]))
        return CriterionScore(
            criterion="key_point_coverage",
            score=_to_five(coverage),
            quote=sentences[best_sentence].text,
            reason=f"Covers {len(hit)} of {len(points)} expected key points"
            + (f"; best covered: {points[best_point]!r}." if hit else "."),
        )

    def _specificity(self, sentences: list[_Sentence], answer_text: str) -> CriterionScore:
        words = max(1, len(tokens(answer_text)))
        details = sum(s.details * (1.0 - s.echo) for s in sentences)
        vague = sum(s.vague for s in sentences)
        density = (details - 0.5 * vague) * 50 / words  # concrete details per 50 words
        value = _scale(density, 0.5, 6.0)
        best = max(range(len(sentences)), key=lambda i: (sentences[i].details * (1 - sentences[i].echo), -i))
        return CriterionScore(
            criterion="specificity",
            score=_to_five(value),
            quote=sentences[best].text,
            reason=f"{details:.0f} concrete details (numbers, named tools, actions, results) and {vague} vague words in {words} words.",
        )

    def _clarity(self, sentences: list[_Sentence], answer_text: str) -> CriterionScore:
        words = tokens(answer_text)
        count = len(words)
        length = _scale(count, 20, 80) if count < 250 else _scale(500 - count, 0, 250)
        mean_sentence = count / max(1, len(sentences))
        sentence_shape = 1.0 if 6 <= mean_sentence <= 28 else 0.5
        markers = _scale(structure_markers(answer_text), 0, 3)
        fillers = 1.0 - _scale(filler_rate(answer_text), 0.02, 0.12)
        unique = len(set(words)) / count if count else 0.0
        repetition = _scale(unique, 0.3, 0.6)
        value = 0.25 * length + 0.15 * sentence_shape + 0.3 * markers + 0.15 * fillers + 0.15 * repetition
        best = max(range(len(sentences)), key=lambda i: (structure_markers(sentences[i].text), -i))
        return CriterionScore(
            criterion="clarity",
            score=_to_five(value),
            quote=sentences[best].text,
            reason=f"{count} words in {len(sentences)} sentences, {structure_markers(answer_text)} structure markers, filler rate {filler_rate(answer_text):.0%}.",
        )

    # -- feedback --------------------------------------------------------------------------------
    def _feedback(self, criteria: list[CriterionScore], points: list[str], point_sims: np.ndarray) -> str:
        best = max(criteria, key=lambda c: (c.score, -criteria.index(c)))
        worst = min(criteria, key=lambda c: (c.score, criteria.index(c)))
        sentences = [f"Strongest on {CRITERION_LABELS[best.criterion]} ({best.score}/5)."]
        if worst.score < best.score:
            advice = {
                "relevance": "answer the question asked more directly",
                "key_point_coverage": "address more of the expected points",
                "specificity": "give concrete examples with numbers, tools, actions and results",
                "clarity": "structure the answer (situation, action, result) and keep it focused",
            }[worst.criterion]
            sentences.append(f"Weakest on {CRITERION_LABELS[worst.criterion]} ({worst.score}/5): {advice}.")
        missing = [p for j, p in enumerate(points) if float(point_sims[:, j].max()) < 0.2]
        if missing:
            shown = "; ".join(missing[:2])
            sentences.append(f"Not addressed: {shown}.")
        return " ".join(sentences[:3])
