"""Surface signals of a specific, structured answer: numbers, named tools, actions, results, structure.

These are what separate "I reduced p99 latency from 900 to 200 ms by adding a Redis cache" from "latency
is important and I always try to make things fast". They only count words that are actually there.
"""

import re

from sync_server.ai.text import FILLERS, normalize, tokens


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred "
    "thousand million billion half double triple percent dozen"
)
ACTION_VERBS = _words(
    """built wrote designed implemented migrated deployed automated led managed organized created launched
    shipped refactored rewrote tested measured analyzed analysed profiled debugged fixed resolved reduced
    increased improved optimized optimised negotiated trained mentored coached hired presented proposed
    introduced replaced scaled configured integrated monitored documented planned scheduled coordinated
    delivered audited investigated interviewed surveyed prototyped set added removed cut split merged
    moved changed convinced escalated calmed apologized apologised called met asked listened explained
    rolled reverted benchmarked ran founded owned drove taught treated assessed administered triaged
    budgeted forecasted reconciled closed sold prepared cooked cleaned repaired installed inspected
    diagnosed reviewed approved wrote drafted edited published designed sketched modelled modeled"""
)
RESULT_WORDS = _words(
    """result resulted outcome saved reduced increased improved grew dropped fell rose cut doubled halved
    faster slower fewer less more percent revenue cost costs latency uptime conversion retention churn
    satisfaction deadline delivered on-time ahead within budget won achieved"""
)
VAGUE_WORDS = _words(
    """generally usually always never basically important various several stuff things probably maybe
    somehow somewhat whatever everything anything overall typically normally try trying best"""
)
STRUCTURE_MARKERS = (
    "first",
    "second",
    "then",
    "after that",
    "next",
    "finally",
    "in the end",
    "as a result",
    "because",
    "so that",
    "for example",
    "for instance",
    "the situation",
    "the task",
    "my role",
    "the result",
    "the outcome",
    "which meant",
    "what i learned",
    "looking back",
)
PERSON_RE = re.compile(r"\b(i|we)\s+(\w+)")
CAPITALIZED_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z0-9+#.]*[a-zA-Z0-9+#]|[A-Z]{2,}\d*)\b")
TECHNICAL_RE = re.compile(r"\b[a-z]+[0-9]+[a-z0-9]*\b|\b\w+\.(js|py|io|net)\b|\b[a-z]+[+#]{1,2}")


def concrete_details(sentence: str) -> int:
    """Count concrete details: numbers, proper names / tools, first-person actions and results."""
    words = tokens(sentence)
    count = sum(1 for w in words if w.isdigit() or any(ch.isdigit() for ch in w) or w in NUMBER_WORDS)
    count += len(
        {
            m.group(1)
            for m in CAPITALIZED_RE.finditer(sentence)
            if m.group(1) not in {"I", "I'm", "I've", "OK"}
        }
    )
    count += len(TECHNICAL_RE.findall(normalize(sentence)))
    count += sum(1 for _, verb in PERSON_RE.findall(normalize(sentence)) if verb in ACTION_VERBS)
    count += sum(1 for w in words if w in RESULT_WORDS)
    return count


def vague_words(sentence: str) -> int:
    return sum(1 for w in tokens(sentence) if w in VAGUE_WORDS)


def structure_markers(text: str) -> int:
    lowered = f" {normalize(text)} "
    return sum(1 for marker in STRUCTURE_MARKERS if f" {marker} " in lowered or f" {marker}," in lowered)


def filler_rate(text: str) -> float:
    words = tokens(text)
    if not words:
        return 0.0
    lowered = normalize(text)
    fillers = sum(1 for w in words if w in FILLERS) + lowered.count("you know") + lowered.count(" sort of ")
    return fillers / len(words)
