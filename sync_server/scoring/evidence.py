"""Find a quoted span in a transcript (normalized match) and when it was said."""

from sync_server.ai.text import tokens
from sync_server.contract.transcript import Transcript

ELLIPSES = ("...", "\u2026")
MIN_QUOTE_TOKENS = 3


class TranscriptIndex:
    """The transcript as a flat list of normalized tokens, each with the start time of its word."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.tokens: list[str] = []
        self.starts: list[float] = []
        for segment in transcript.segments:
            if segment.words:
                for word in segment.words:
                    for token in tokens(word.word):
                        self.tokens.append(token)
                        self.starts.append(float(word.start))
            else:
                # No word timings: every token gets its segment's start, still a usable jump target.
                for token in tokens(segment.text):
                    self.tokens.append(token)
                    self.starts.append(float(segment.start))
        if not transcript.segments:
            self.tokens = tokens(transcript.text)
            self.starts = [0.0] * len(self.tokens)

    def locate(self, quote: str) -> float | None:
        """Start time of `quote` in the transcript, or None if it is not there.

        Parts separated by an ellipsis must appear in order. Very short quotes must equal the whole
        transcript, since three words or fewer would match almost anywhere.
        """
        parts = [tokens(p) for p in _split_ellipsis(quote)]
        parts = [p for p in parts if p]
        if not parts:
            return None
        if sum(len(p) for p in parts) < MIN_QUOTE_TOKENS and sum(len(p) for p in parts) != len(self.tokens):
            return None
        position = 0
        first_start: float | None = None
        for part in parts:
            found = _find(self.tokens, part, position)
            if found < 0:
                return None
            if first_start is None:
                first_start = self.starts[found]
            position = found + len(part)
        return first_start


def _split_ellipsis(quote: str) -> list[str]:
    parts = [quote]
    for mark in ELLIPSES:
        parts = [piece for part in parts for piece in part.split(mark)]
    return parts


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    size = len(needle)
    first = needle[0]
    for i in range(start, len(haystack) - size + 1):
        if haystack[i] == first and haystack[i : i + size] == needle:
            return i
    return -1
