"""Audio/video sync measured from the recorded file: flash-and-beep analysis."""

from pathlib import Path

import numpy as np
import pytest

from desktop_app.recording.av_sync import SyncAnalysisError, analyze_av_sync
from desktop_app.recording.media_writer import MediaFormat, MediaWriter
from tests.support.av_stimulus import (
    FLASH_FRAMES,
    beep_samples,
    flash_picture,
    record_flash_and_beep,
    write_flash_video,
    write_known_offset_recording,
)

SMALL = MediaFormat(width=320, height=240, fps=30, video_bitrate=400_000)


@pytest.mark.parametrize(
    ("offset_ms", "media"),
    [
        (-40.0, SMALL),  # the beep 40 ms after the flash: sound lags
        (10.0, SMALL),  # the beep 10 ms before the flash: sound leads
        (30.0, SMALL),  # sound 30 ms early: past the 15 ms lead allowed
        (-40.0, MediaFormat(width=320, height=240, fps=30, container="webm")),  # Opus pre-skip instead of AAC
    ],
    ids=["mp4-lag-40", "mp4-lead-10", "mp4-lead-30", "webm-lag-40"],
)
def test_a_known_offset_is_recovered_from_the_file(tmp_path, offset_ms, media):
    path = tmp_path / f"known{media.suffix}"
    flashes = write_known_offset_recording(path, offset_ms=offset_ms, media=media, seconds=4.0)

    report = analyze_av_sync(path)

    assert [round(e.flash_seconds, 3) for e in report.events] == [round(f, 3) for f in flashes]
    assert not report.unpaired_flashes and not report.unpaired_beeps
    # Flashes sit on frame slots and beeps are found to the sample: AAC/Opus priming and the
    # edit list must not shift anything (AAC priming alone would be 21 ms).
    for event in report.events:
        assert event.offset_ms == pytest.approx(offset_ms, abs=1.0)
    assert report.median_ms == pytest.approx(offset_ms, abs=1.0)
    assert report.within_target() == (-45 <= offset_ms <= 15)


def _write(path: Path, *, flashes: bool, beeps: bool, audio: bool = True) -> Path:
    media = SMALL
    writer = MediaWriter(path, media) if audio else None
    if writer is None:
        write_flash_video(path, seconds=2.0, interval_seconds=1.0, width=media.width, height=media.height)
        return path
    for slot in range(60):
        lit = flashes and 15 <= slot < 15 + FLASH_FRAMES
        writer.write_video(flash_picture(media.width, media.height, lit=lit), slot)
    times = np.arange(2 * media.sample_rate) / media.sample_rate
    writer.write_audio(beep_samples(0.5, times) if beeps else np.zeros(len(times), np.float32))
    writer.close()
    return path


@pytest.mark.parametrize(
    ("flashes", "beeps", "audio", "message"),
    [
        (False, True, True, "No flash in the video"),
        (True, False, True, "No beep in the audio"),
        (True, True, False, "has no audio stream"),
    ],
    ids=["no-flash", "no-beep", "no-audio-stream"],
)
def test_a_file_without_the_stimulus_gets_a_clear_error(tmp_path, flashes, beeps, audio, message):
    path = _write(tmp_path / "answer.mp4", flashes=flashes, beeps=beeps, audio=audio)
    with pytest.raises(SyncAnalysisError, match=message):
        analyze_av_sync(path)


def test_a_missing_or_unreadable_file_gets_a_clear_error(tmp_path):
    with pytest.raises(SyncAnalysisError, match="does not exist"):
        analyze_av_sync(tmp_path / "nothing.mp4")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(SyncAnalysisError, match="cannot be read"):
        analyze_av_sync(junk)


def test_flashes_far_from_any_beep_are_not_paired(tmp_path):
    path = tmp_path / "apart.mp4"
    write_known_offset_recording(path, offset_ms=-300.0, media=SMALL, seconds=3.0)
    with pytest.raises(SyncAnalysisError, match="no flash has a beep within 200 ms"):
        analyze_av_sync(path, max_pair_seconds=0.2)


@pytest.mark.audio
def test_a_real_recording_of_flashes_and_beeps_is_measured(virtual_audio, tmp_path):
    """End to end through PulseAudio: every flash and every beep in the file is found and paired.

    The offset itself is not asserted (the shared machine's load moves it): bench_av_sync measures it.
    """
    # Flashes 1 s and 3 s after the camera starts: about 0.5 s and 2.5 s into the answer, both
    # far from the file's edges even if the loaded machine starts the recorder late.
    video = write_flash_video(
        tmp_path / "flash.mp4", seconds=4.0, interval_seconds=2.0, width=320, height=240
    )
    recorded = record_flash_and_beep(tmp_path / "answer.mp4", video, SMALL, seconds=4.0)

    assert recorded.result.error is None
    assert len(recorded.stimulus_offsets) >= 2, "the stimulus placed no beep on a flash"
    report = analyze_av_sync(recorded.result.path, max_pair_seconds=0.5)
    assert len(report.events) == 2
    assert not report.unpaired_flashes, f"flashes without a beep: {report.unpaired_flashes}"
    assert not report.unpaired_beeps, f"beeps without a flash: {report.unpaired_beeps}"
