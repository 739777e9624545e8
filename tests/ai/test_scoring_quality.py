"""The local scorer on the evaluation set: specific beats vague by a clear margin, empty is not scored."""

import numpy as np

from sync_server.scoring.local_scorer import LocalScorer
from tests.eval.scoring_eval import evaluate, load_items


def test_specific_answers_score_clearly_above_vague_ones_and_empty_ones_are_not_scored(local_scorer):
    quality = evaluate(local_scorer)
    assert quality.strong_or_vague_refused == []
    assert quality.empty_not_scored == quality.empty_total == 17
    assert quality.mean_margin >= 1.5, quality.margins
    assert quality.min_margin >= 0.8, quality.margins
    assert all(quality.vague[k] <= 2.5 for k in quality.vague), quality.vague


def test_plain_similarity_cannot_tell_specific_from_vague(embedder):
    """The baseline the scorer must beat: answer-to-question similarity prefers the vague echo."""
    wins = 0
    for item in load_items():
        reference = embedder.encode_one(f"{item['question']} {' '.join(item['key_points'])}")  # type: ignore[arg-type]
        strong, vague = embedder.encode([str(item["strong"]), str(item["vague"])])
        wins += float(np.dot(strong, reference)) > float(np.dot(vague, reference))
    assert wins <= len(load_items()) // 2


def test_scores_are_deterministic_and_every_quote_is_in_the_answer(local_scorer: LocalScorer):
    item = load_items()[2]
    first = local_scorer.score(
        question=str(item["question"]),
        key_points=list(item["key_points"]),
        answer_text=str(item["strong"]),  # type: ignore[call-overload]
    )
    again = local_scorer.score(
        question=str(item["question"]),
        key_points=list(item["key_points"]),
        answer_text=str(item["strong"]),  # type: ignore[call-overload]
    )
    assert first == again
    for criterion in first.criteria:
        assert criterion.quote in str(item["strong"])
    assert 2 <= first.feedback.count(". ") + 1 <= 3
