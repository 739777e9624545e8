"""Pieces of transcript search that need no database: reading what was typed into FTS5 syntax, cutting
snippets, finding the spoken second, and the desk's plain-text marks."""

import pytest

from desktop_app.desk.views import marked_snippet
from sync_server.contract import Transcript
from sync_server.transcript_search.fts5_query import fts5_query
from sync_server.transcript_search.repository import MARK_END, MARK_START
from sync_server.transcript_search.snippets import snippet, spoken_at, unmark


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kubernetes", '("Kubernetes")'),
        ("regression test", '("regression") AND ("test")'),
        ('"exponential backoff" queue', '("exponential backoff") AND ("queue")'),
        ("helm or backoff", '("helm" OR "backoff")'),
        ("lock -kubernetes", '(("lock")) NOT ("kubernetes")'),
        ("node.js c++", '("node js") AND ("c")'),
        ('NEAR( AND "OR NOT', '("NEAR") AND ("AND") AND ("OR NOT")'),
        ("'); DROP TABLE x;--", '("DROP") AND ("TABLE") AND ("x")'),
        ("!!! ??? -", None),
        ("or", None),
    ],
)
def test_typed_text_becomes_a_safe_fts5_query(typed: str, expected: str | None) -> None:
    assert fts5_query(typed) == expected


def test_snippet_cuts_around_the_first_match_and_keeps_offsets() -> None:
    words = [f"w{i}" for i in range(150)]
    words[40] = "needle"
    marked = unmark(" ".join(words[:40]) + f" {MARK_START}needle{MARK_END} " + " ".join(words[41:]))
    assert marked.text == " ".join(words) and len(marked.spans) == 1
    text, highlights = snippet(marked)
    assert text.startswith("…w") and text.endswith("…")
    assert [text[h.start : h.end] for h in highlights] == ["needle"]
    assert not text[1].isspace()

    short = unmark(f"{MARK_START}Kubernetes{MARK_END} everywhere")
    assert snippet(short) == ("Kubernetes everywhere", [snippet(short)[1][0]])
    assert (snippet(short)[1][0].start, snippet(short)[1][0].end) == (0, 10)


def transcript(*segments: tuple[float, str]) -> Transcript:
    built = []
    for start, said in segments:
        words = [
            {"start": start + i, "end": start + i + 0.5, "word": f" {w}", "probability": 0.9}
            for i, w in enumerate(said.split())
        ]
        built.append(
            {
                "start": start,
                "end": start + 10,
                "text": f" {said}",
                "avg_logprob": -0.2,
                "no_speech_prob": 0.0,
                "words": words,
            }
        )
    return Transcript.model_validate(
        {"text": " ".join(s for _, s in segments), "language": "en", "model": "m", "segments": built}
    )


def test_the_spoken_second_comes_from_the_word_timings() -> None:
    said = transcript((0.0, "We used Python."), (20.0, "Then we moved to Kubernetes clusters."))
    text = said.text
    assert spoken_at(said, text, text.index("Kubernetes")) == 24.0
    assert spoken_at(said, text, text.index("Python")) == 2.0
    # a text that does not line up with the segments: the word is looked up instead
    assert spoken_at(said, "Something else, then Kubernetes", 21) == 24.0
    assert spoken_at(said, "Nothing alike at all", 0) == 0.0


def test_the_desk_marks_neighbouring_matches_as_one() -> None:
    assert marked_snippet("a regression test here", [(2, 12), (13, 17)]) == "a «regression test» here"
    assert marked_snippet("lock and lock", [(0, 4), (9, 13)]) == "«lock» and «lock»"
    assert marked_snippet("plain", []) == "plain"
