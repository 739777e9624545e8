"""The candidate's voice in the soak: spoken answers of 15-20 s (espeak-ng) played into the PulseAudio
virtual microphone, or, with the demo's stand-in microphone (which talks by itself), only the time
a spoken answer takes."""

import subprocess
import wave
from itertools import cycle
from pathlib import Path

from tests.support.pulse import PulseAudio
from tests.support.speech_clips import speak_to_wav

ANSWERS = [
    "In my last job I worked at the front desk of a busy clinic. Every morning I planned the appointments, "
    "answered the phone and helped patients fill in their forms. When the computer system failed one day, "
    "I kept a paper list, called every patient who was waiting, and we did not lose a single booking.",
    "I enjoy working with other people because we learn from each other. In a team project at school, two "
    "of us disagreed about the plan. I suggested that we try both ideas on a small part first, and then we "
    "chose the one that worked better. After that the whole group trusted each other more.",
    "My strongest skill is staying calm when things get difficult. Last winter our delivery van broke down "
    "before a holiday. I rented another van, changed the route so the most urgent orders came first, and "
    "told each customer honestly when to expect their parcel. Almost everyone was happy.",
]
DEVICE_CHECK_SENTENCE = "Hello, I am ready for my interview. I can hear the question and see myself."
ANSWER_SECONDS_RANGE = (15.0, 20.0)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def render_answers(folder: Path) -> list[Path]:
    """The answer clips, each checked to last 15-20 s (espeak-ng's speed decides)."""
    clips = [speak_to_wav(text, folder / f"answer-{i + 1}.wav") for i, text in enumerate(ANSWERS)]
    low, high = ANSWER_SECONDS_RANGE
    for clip in clips:
        seconds = wav_seconds(clip)
        if not low <= seconds <= high:
            raise RuntimeError(
                f"{clip.name} lasts {seconds:.1f} s; the soak needs spoken answers of {low}-{high} s"
            )
    return clips


class CandidateVoice:
    """Speaks into the virtual microphone when there is one (`pulse`), else only takes the time."""

    def __init__(self, folder: Path, pulse: PulseAudio | None) -> None:
        self.pulse = pulse
        self._answers = cycle(render_answers(folder))
        self._sentence = speak_to_wav(DEVICE_CHECK_SENTENCE, folder / "device-check.wav")
        self._player: subprocess.Popen[bytes] | None = None

    def answer(self) -> float:
        """Start the next spoken answer; returns how long it lasts."""
        return self._play(next(self._answers))

    def say_sentence(self) -> float:
        """What a candidate says while the device check listens."""
        return self._play(self._sentence)

    def still_speaking(self) -> bool:
        return self._player is not None and self._player.poll() is None

    def stop(self) -> None:
        if self._player is not None and self._player.poll() is None:
            self._player.kill()
            self._player.wait(10)
        self._player = None

    def _play(self, clip: Path) -> float:
        self.stop()
        if self.pulse is not None:
            self._player = self.pulse.play_into_microphone(clip)
        return wav_seconds(clip)
