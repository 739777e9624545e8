"""Decide whether an answer holds enough speech to score at all.

Silence, a few words or "I don't know" get "not enough to score" with the reason, never a low score:
a low score would read as a judgement of the candidate when there is nothing to judge.
"""

import re

from sync_server.ai.text import FILLERS, content_tokens, normalize, tokens
from sync_server.contract.transcript import Transcript

MIN_WORDS = 12
MIN_CONTENT_WORDS = 6
NO_SPEECH_PROBABILITY = 0.8
DONT_KNOW_RE = re.compile(
    r"\b(i\s+(really\s+)?(do\s*n[o']?t|dunno|have\s+no)\s+(know|idea|clue)|no\s+idea|not\s+sure|"
    r"can\s*n?[o']?t\s+(answer|remember|think\s+of)|(i'?ll|let\s+me|i\s+want\s+to)\s+(pass|skip)|"
    r"pass\s+on\s+this|no\s+experience\s+with)\b"
)
DONT_KNOW_MAX_WORDS = 40


def insufficiency_reason(transcript: Transcript) -> str | None:
    """Why this transcript cannot be scored, or None if it can."""
    words = [t for t in tokens(transcript.text) if t not in FILLERS]
    if not words:
        return "No speech was recognised in this answer."
    if transcript.segments and all(s.no_speech_prob >= NO_SPEECH_PROBABILITY for s in transcript.segments):
        return "The recognizer judged this recording to hold no speech."
    if len(words) < MIN_WORDS or len(content_tokens(transcript.text)) < MIN_CONTENT_WORDS:
        return f"Too little speech to score ({len(words)} words)."
    if len(words) <= DONT_KNOW_MAX_WORDS and DONT_KNOW_RE.search(normalize(transcript.text)):
        return "The candidate said they could not answer this question."
    return None
