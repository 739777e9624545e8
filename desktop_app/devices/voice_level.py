"""How loud a voice is, in words a candidate can act on.

One set of thresholds and one way of computing the level, shared by the live level meter and the
device check's verdict: if the meter shows the voice as good, the check cannot call it too quiet.
The level is the power mean of the short windows (microphone blocks) that hold sound; silent windows
(pauses between words) do not pull it down, so it follows the voice, not the pauses.
"""

import math
from collections.abc import Iterable
from enum import StrEnum

SILENCE_BELOW_DBFS = -55.0  # a window quieter than this holds no voice
TOO_QUIET_BELOW_DBFS = -50.0  # a recording this quiet is hard to hear and to transcribe
QUIET_BELOW_DBFS = -35.0
TOO_LOUD_ABOVE_DBFS = -6.0  # the loudest words are about to distort
WINDOW_SECONDS = 0.02  # the microphone's block: the meter gets one level per block


class VoiceZone(StrEnum):
    silent = "silent"
    too_quiet = "too quiet"
    quiet = "quiet"
    good = "good"
    too_loud = "too loud"


# What the meter says under the bar, and what the check says when it is done: the same words.
ZONE_ADVICE: dict[VoiceZone, tuple[str, str | None]] = {
    VoiceZone.silent: ("We do not hear you yet.", "Please read the sentence out loud."),
    VoiceZone.too_quiet: ("Your voice is too quiet.", "Move closer to the microphone or speak up."),
    VoiceZone.quiet: ("Your voice is a little quiet.", "Speak up a little."),
    VoiceZone.good: ("We hear you well.", None),
    VoiceZone.too_loud: ("Your voice is very loud.", "Sit a little further from the microphone."),
}


def zone_sentence(zone: VoiceZone) -> str:
    message, fix = ZONE_ADVICE[zone]
    return f"{message} {fix}" if fix else message


def zone_of(level_dbfs: float | None) -> VoiceZone:
    """The zone of a voice level (None: no voice at all)."""
    if level_dbfs is None or level_dbfs < SILENCE_BELOW_DBFS:
        return VoiceZone.silent
    if level_dbfs < TOO_QUIET_BELOW_DBFS:
        return VoiceZone.too_quiet
    if level_dbfs < QUIET_BELOW_DBFS:
        return VoiceZone.quiet
    if level_dbfs > TOO_LOUD_ABOVE_DBFS:
        return VoiceZone.too_loud
    return VoiceZone.good


def voice_level_dbfs(window_levels_dbfs: Iterable[float]) -> float | None:
    """Power mean (dBFS) of the windows that hold sound; None when every window is silent."""
    powers = [10 ** (level / 10) for level in window_levels_dbfs if level >= SILENCE_BELOW_DBFS]
    if not powers:
        return None
    return 10 * math.log10(sum(powers) / len(powers))
