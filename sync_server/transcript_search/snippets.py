"""From a transcript marked where it matched: a short plain-text snippet with highlight offsets, and the
second the first matching word is spoken (from the transcript's word timings, else its segment's)."""

from dataclasses import dataclass

from sync_server.contract import TextSpan, Transcript
from sync_server.transcript_search.repository import MARK_END, MARK_START

CONTEXT_BEFORE = 60  # characters of context kept before the first match
SNIPPET_LENGTH = 220
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Marked:
    text: str
    spans: list[tuple[int, int]]  # [start, end) in `text`


def unmark(marked: str) -> Marked:
    """Strip the markers, keeping where they were."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for char in marked:
        if char == MARK_START:
            opened = length
        elif char == MARK_END:
            if opened is not None and length > opened:
                spans.append((opened, length))
            opened = None
        else:
            text.append(char)
            length += 1
    return Marked("".join(text), spans)


def snippet(marked: Marked) -> tuple[str, list[TextSpan]]:
    """About SNIPPET_LENGTH characters around the first match, cut at spaces, '…' where cut."""
    text = marked.text
    first = marked.spans[0][0] if marked.spans else 0
    start = max(0, first - CONTEXT_BEFORE)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", max(first + 1, start), end)
        end = space if space > first else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    highlights = [
        TextSpan(start=s + shift, end=e + shift) for s, e in marked.spans if s >= start and e <= end
    ]
    return prefix + text[start:end] + suffix, highlights


def _word_key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def spoken_at(transcript: Transcript, text: str, offset: int) -> float:
    """When the word at `offset` of the transcript's `text` is spoken.

    The text is the segments' texts joined, so each segment (and each word inside it) is found in order;
    the first word ending after `offset` is the one. If the text does not line up with the segments
    (a station that wrote `text` differently), the matched word is looked up among the words instead.
    """
    cursor = 0
    for segment in transcript.segments:
        segment_text = segment.text.strip()
        at = text.find(segment_text, cursor) if segment_text else -1
        if at < 0:
            continue
        segment_end = at + len(segment_text)
        if offset < segment_end:
            word_cursor = at
            for word in segment.words:
                spoken = word.word.strip()
                found = text.find(spoken, word_cursor, segment_end) if spoken else -1
                if found < 0:
                    continue
                word_cursor = found + len(spoken)
                if word_cursor > offset:
                    return word.start
            return segment.start
        cursor = segment_end
    matched = _word_key(text[offset : offset + 64].split(" ", 1)[0])
    for segment in transcript.segments:
        for word in segment.words:
            if matched and _word_key(word.word) == matched:
                return word.start
    return transcript.segments[0].start if transcript.segments else 0.0
