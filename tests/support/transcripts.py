"""Build transcript JSON like the station's recognizer produces: segments per sentence, timed words."""

import re

from sync_server.contract.transcript import Transcript, TranscriptSegment, TranscriptWord


def make_transcript(text: str, *, seconds_per_word: float = 0.4, start: float = 0.5) -> Transcript:
    segments = []
    clock = start
    for sentence in [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]:
        words = []
        for raw in sentence.split():
            words.append(
                TranscriptWord(
                    start=round(clock, 2),
                    end=round(clock + seconds_per_word * 0.9, 2),
                    word=f" {raw}",
                    probability=0.93,
                )
            )
            clock += seconds_per_word
        segments.append(
            TranscriptSegment(
                start=words[0].start,
                end=words[-1].end,
                text=f" {sentence}",
                avg_logprob=-0.2,
                no_speech_prob=0.01,
                words=words,
            )
        )
    return Transcript(text=text.strip(), language="en", model="tiny.en", segments=segments)
