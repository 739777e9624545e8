"""Is there room for the next recording? Checked before every answer, so a full disk is a staff
warning before the candidate starts, never a lost answer halfway through."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from desktop_app.errors import StationError

MIB = 1024 * 1024
# Kept free beyond the recording itself: SQLite's WAL, transcripts, the OS.
DEFAULT_RESERVE_BYTES = 500 * MIB
# Encoders overshoot their target bitrate on busy scenes; plan for it.
BITRATE_HEADROOM = 1.5


class DiskSpaceLow(StationError):
    """Not enough free disk space to record the next answer safely."""


@dataclass(frozen=True)
class DiskSpace:
    free_bytes: int
    needed_bytes: int

    @property
    def answers_left(self) -> int:
        """Roughly how many more answers of this length fit."""
        return max(0, (self.free_bytes - DEFAULT_RESERVE_BYTES) // max(1, self.needed_bytes))


def estimate_recording_bytes(*, seconds: float, video_bitrate: int, audio_bitrate: int = 128_000) -> int:
    return int(seconds * (video_bitrate + audio_bitrate) / 8 * BITRATE_HEADROOM)


def check_disk_space(
    media_dir: Path,
    *,
    answer_seconds: float,
    video_bitrate: int,
    audio_bitrate: int = 128_000,
    reserve_bytes: int = DEFAULT_RESERVE_BYTES,
) -> DiskSpace:
    """Raise DiskSpaceLow with a message for staff when the next answer might not fit.

    Call it before each recording (and before an interview starts, with the longest answer).
    """
    media_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(media_dir).free
    needed = estimate_recording_bytes(
        seconds=answer_seconds, video_bitrate=video_bitrate, audio_bitrate=audio_bitrate
    )
    if free < needed + reserve_bytes:
        raise DiskSpaceLow(
            f"The station's disk is almost full: {free // MIB} MB free, but a "
            f"{answer_seconds:.0f}-second answer needs about {needed // MIB} MB plus "
            f"{reserve_bytes // MIB} MB kept in reserve.",
            fix="Connect the station to the network so waiting answers are sent and can be removed "
            "(`interview-station sync`), or free space on the disk, before the next candidate starts.",
        )
    return DiskSpace(free_bytes=free, needed_bytes=needed)
