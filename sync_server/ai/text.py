"""Plain-text helpers shared by scoring, screening and matching: tokens, stems, sentences, stop words."""

import re
import unicodedata

WORD_RE = re.compile(r"[a-z0-9]+(?:[+#.'][a-z0-9+#]+)*[+#]*")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")

_STOP_WORDS_TEXT = """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got really well yeah okay ok one thing things kind sort lot lots
    much many way ways something someone anything everything stuff like know mean think tell us describe
    time times example give please maybe going gonna want would're i'm it's that's there's let's we're
    they're you're i've we've don't doesn't didn't can't won't isn't aren't wasn't weren't"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
FILLERS = frozenset({"um", "uh", "er", "erm", "hmm", "mm", "ah", "eh", "uhm", "umm"})


def normalize(text: str) -> str:
    """Lowercase, fold accents and typographic quotes, so matching ignores cosmetic differences."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .lower()
    )


def tokens(text: str) -> list[str]:
    return [t.rstrip(".'") or t for t in WORD_RE.findall(normalize(text))]


def stem(token: str) -> str:
    """A deliberately crude stem (shared prefix) so 'deployed', 'deploying', 'deployment' meet."""
    if len(token) <= 4 or any(ch.isdigit() for ch in token):
        return token
    for suffix in (
        "ations",
        "ation",
        "ments",
        "ment",
        "ings",
        "ing",
        "ies",
        "ied",
        "ers",
        "er",
        "ed",
        "es",
        "s",
        "ly",
    ):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)][:7]
    return token[:7]


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOP_WORDS and t not in FILLERS and len(t) > 1]


def content_stems(text: str) -> set[str]:
    return {stem(t) for t in content_tokens(text)}


def split_sentences(text: str, *, max_words: int = 40) -> list[str]:
    """Sentences as exact substrings of `text`; unpunctuated runs are cut every `max_words` words."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces = [p.strip() for p in SENTENCE_END_RE.split(text) if p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        words = piece.split(" ")
        for start in range(0, len(words), max_words):
            sentences.append(" ".join(words[start : start + max_words]))
    return sentences
