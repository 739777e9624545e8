"""Audio/video sync measured in the recorded FILE with a flash-and-beep stimulus.

    python -m tests.benchmarks.bench_av_sync [--quick] [--seconds 24] [--interval 2]

A PulseAudio test server with the virtual microphone is started; the file camera shows a white
flash every `--interval` seconds and a beep is played into the microphone at the same instants
(tests/support/av_stimulus.py). Each answer is recorded exactly as an interview does it (file
camera, real microphone capture, AnswerRecorder, H.264 + AAC), then desktop_app.recording.av_sync
finds every flash and beep in the output file and compares their presentation times.

Sizes 640x480 and 1280x720; loads:
  * idle          - recording only;
  * transcribing  - plus the live transcription of the microphone and a whole-file transcription
                    of a 60 s speech clip running back to back (bench_recording's "stressed").
Columns (positive: sound before picture; target +15 / -45 ms):
  file med / file worst - offset measured in the output file (median, and the event furthest out);
  corr med / corr worst - the same with the harness's own offset for each event taken off;
  stamps / stamps worst - the recorder's own av_offset_ms from its capture stamps;
  stimulus              - the harness's error: each flash the camera showed vs the beep placed for
                          it (worst), and the spread of the play-out time estimates;
  in target             - every file-measured event (uncorrected) within +15 / -45 ms; "harness?"
                          when the stimulus itself was off (a starved playback underran: spread or
                          stimulus beyond 20 ms), so the row says nothing about the recorder.
Prints a table, asserts nothing.
"""

import argparse
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.config import StationSettings
from desktop_app.devices.audio import refresh_devices
from desktop_app.devices.microphone import AudioBlock
from desktop_app.errors import StationError
from desktop_app.recording.av_sync import LAG_LIMIT_MS, LEAD_LIMIT_MS, SyncReport, analyze_av_sync
from desktop_app.recording.media_writer import MediaFormat
from desktop_app.recording.recorder import RecordingMetrics
from desktop_app.speech.transcription import Transcriber
from tests.benchmarks.bench_recording import speech_wav, stress_loop
from tests.support.av_stimulus import record_flash_and_beep, write_flash_video
from tests.support.pulse import start_pulseaudio

SIZES = [(640, 480), (1280, 720)]
LOADS = ["idle", "transcribing"]
FPS = 30
HARNESS_TOLERANCE_MS = 20.0


@dataclass
class Row:
    size: str
    load: str
    report: SyncReport
    metrics: RecordingMetrics
    stimulus_worst_ms: float
    playout_spread_ms: float
    corrected_ms: list[float]  # file offset minus the harness's own offset, per event


def record_once(
    *, size: tuple[int, int], load: str, seconds: float, interval: float, folder: Path,
    transcriber: Transcriber | None, stress_clip: Path | None,
) -> Row:  # fmt: skip
    width, height = size
    media = MediaFormat(
        width=width, height=height, fps=FPS, video_bitrate=2_500_000 if width > 640 else 1_200_000
    )
    video = write_flash_video(
        folder / f"flash-{width}.mp4",
        seconds=5 * interval,
        interval_seconds=interval,
        width=width,
        height=height,
    )
    stop_stress = threading.Event()
    stresser = None
    stream = None
    if load == "transcribing":
        assert transcriber is not None and stress_clip is not None
        stream = transcriber.open_stream(sample_rate=media.sample_rate)
        stresser = threading.Thread(
            target=stress_loop, args=(transcriber, stress_clip, stop_stress), daemon=True
        )
        stresser.start()
        time.sleep(1.0)  # let it get going

    def feed(block: AudioBlock) -> None:
        if stream is not None:
            stream.feed(block.samples)

    try:
        recorded = record_flash_and_beep(
            folder / f"answer-{width}-{load}.mp4", video, media, seconds=seconds, on_audio=feed
        )
    finally:
        stop_stress.set()
        if stream is not None:
            stream.finish(timeout=120)
        if stresser is not None:
            stresser.join()
    report = analyze_av_sync(recorded.result.path, max_pair_seconds=interval / 2)
    harness = [offset for _, offset in recorded.stimulus_offsets]
    corrected = []
    for event in report.events:
        own = recorded.harness_offset_ms(event.flash_seconds)
        if own is not None:
            corrected.append(event.offset_ms - own)
    return Row(
        f"{width}x{height}",
        load,
        report,
        recorded.result.metrics,
        max(harness, key=abs) if harness else float("nan"),
        recorded.playout_spread_ms,
        corrected,
    )


def verdict(row: Row) -> str:
    if (
        not abs(row.stimulus_worst_ms) <= HARNESS_TOLERANCE_MS
        or not row.playout_spread_ms <= HARNESS_TOLERANCE_MS
    ):
        return "harness?"
    return "yes" if row.report.within_target() else "NO"


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'size':>9} {'load':>12} {'events':>6} {'lone':>4} {'file med':>8} {'file worst':>10} "
        f"{'corr med':>8} {'corr worst':>10} {'stamps':>6} {'stamps worst':>12} {'stimulus':>8} {'spread':>6} "
        f"{'in target':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        lone = len(r.report.unpaired_flashes) + len(r.report.unpaired_beeps)
        corr_med = statistics.median(r.corrected_ms) if r.corrected_ms else float("nan")
        corr_worst = max(r.corrected_ms, key=abs) if r.corrected_ms else float("nan")
        print(
            f"{r.size:>9} {r.load:>12} {len(r.report.events):>6} {lone:>4} {r.report.median_ms:>8.1f} "
            f"{r.report.worst_ms:>10.1f} {corr_med:>8.1f} {corr_worst:>10.1f} {r.metrics.av_offset_ms:>6.1f} {r.metrics.av_offset_worst_ms:>12.1f} "
            f"{r.stimulus_worst_ms:>8.2f} {r.playout_spread_ms:>6.2f} {verdict(r):>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 s per run, 640x480 only")
    parser.add_argument(
        "--seconds", type=float, default=None, help="length of each recorded answer (default 24)"
    )
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between flashes")
    args = parser.parse_args()
    seconds = args.seconds or (8.0 if args.quick else 24.0)
    sizes = SIZES[:1] if args.quick else SIZES
    pulse = start_pulseaudio()
    for key in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH"):
        os.environ[key] = pulse.env[key]
    rows: list[Row] = []
    try:
        refresh_devices()
        transcriber = Transcriber(StationSettings())
        with tempfile.TemporaryDirectory(prefix="bench-av-sync-") as tmp:
            folder = Path(tmp)
            stress_clip = speech_wav(folder / "stress", 60.0)
            print(
                f"{os.cpu_count()} cores; {seconds:.0f} s per answer, a flash and beep every {args.interval:g} s; "
                f"load average {os.getloadavg()[0]:.1f} at start"
            )
            for size in sizes:
                for load in LOADS:
                    try:
                        rows.append(
                            record_once(
                                size=size,
                                load=load,
                                seconds=seconds,
                                interval=args.interval,
                                folder=folder,
                                transcriber=transcriber,
                                stress_clip=stress_clip,
                            )
                        )
                    except StationError as exc:
                        print(f"{size[0]}x{size[1]} {load}: {exc}")
                    print(
                        f"  done {size[0]}x{size[1]} {load} (load average {os.getloadavg()[0]:.1f})",
                        flush=True,
                    )
    finally:
        pulse.stop()
    print()
    print_table(rows)
    print()
    print(
        f"ms; positive: sound before picture; target +{LEAD_LIMIT_MS:g} / -{LAG_LIMIT_MS:g} ms. A flash is known to "
        f"the frame: file offsets carry +/- {500 / FPS:.0f} ms of quantisation."
    )


if __name__ == "__main__":
    main()
