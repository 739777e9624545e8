"""Recording quality while transcription runs on the same cores: dropped frames and A/V offset.

    python -m tests.benchmarks.bench_recording [--quick] [--seconds 60]

For 640x480 and 1280x720 at 30 fps, one answer is recorded exactly as the interview session does
it: a video file of that size stands in for the camera (decoded and paced to 30 fps on its capture
thread), spoken audio is "played into" the answer in 20 ms blocks, the recorder encodes H.264
(libx264 ultrafast) + AAC on its writer thread, and the live TranscriptStream gets every block.
Three loads:
  * idle          - recording only (the baseline of the ratios);
  * transcribing  - plus the live transcription of the answer (what an interview does);
  * stressed      - plus a whole-file transcription of a 60 s clip running back to back all the time
                    (a pending transcript being caught up, the worst case on a kiosk).
Dropped = captured frames not in the file; duplicated = slots that repeat the previous frame;
A/V offset = median (and worst 1 s window) of video placement minus audio placement, from the
capture stamps on the shared clock (positive: sound before picture). Targets: dropped < 0.5 % at the
default size; offset within +15 / -45 ms. Prints tables, asserts nothing.
"""

import argparse
import os
import resource
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_app.config import StationSettings
from desktop_app.devices.camera import CameraCapture
from desktop_app.devices.microphone import AudioBlock, AudioFileMicrophone
from desktop_app.errors import DeviceError
from desktop_app.recording.media_writer import MediaFormat
from desktop_app.recording.recorder import AnswerRecorder, RecordingMetrics
from desktop_app.speech.transcription import Transcriber
from tests.support.media import write_test_video
from tests.support.speech_clips import read_wav, speak_to_wav, write_wav

SIZES = [(640, 480), (1280, 720)]
LOADS = ["idle", "transcribing", "stressed"]
FPS = 30

SENTENCES = [
    "I have spent the last five years as a backend engineer at a logistics company.",
    "My main responsibility was the routing service that planned deliveries for our drivers.",
    "One of the hardest problems we faced was scaling the database when our order volume tripled.",
    "We started by measuring where the time actually went, instead of guessing.",
    "I rewrote the slow queries, added the missing indexes, and moved reporting to a read replica.",
    "When I disagree with a colleague, I try to understand their reasoning before I argue.",
]


@dataclass
class Row:
    size: str
    load: str
    metrics: RecordingMetrics
    finish_seconds: float  # stop -> file closed (the writer's backlog)
    cpu_percent: float  # process CPU over wall time (200 % = both cores)
    transcript_words: int


def speech_wav(folder: Path, seconds: float) -> Path:
    """Spoken sentences with short pauses, repeated to `seconds`."""
    clip = speak_to_wav(" ".join(SENTENCES), folder / "speech.wav")
    samples, rate = read_wav(clip)
    pause = np.zeros(int(rate * 0.6), np.float32)
    one = np.concatenate([samples, pause])
    reps = int(np.ceil(seconds * rate / len(one))) + 1
    return write_wav(folder / "answer.wav", np.tile(one, reps)[: int((seconds + 1) * rate)], rate)


def stress_loop(transcriber: Transcriber, clip: Path, stop: threading.Event) -> None:
    while not stop.is_set():
        transcriber.transcribe_file(clip)


def record_once(
    *, camera_file: Path, speech: Path, size: tuple[int, int], load: str, seconds: float,
    transcriber: Transcriber, stress_clip: Path, out: Path,
) -> Row:  # fmt: skip
    media = MediaFormat(
        width=size[0], height=size[1], fps=FPS, video_bitrate=2_500_000 if size[0] > 640 else 1_200_000
    )
    camera = CameraCapture(str(camera_file), fps=FPS, loop=True)
    mic = AudioFileMicrophone(speech)
    recorder = AnswerRecorder(out, media, max_seconds=seconds)
    stream = transcriber.open_stream(sample_rate=mic.sample_rate) if load != "idle" else None
    stop_stress = threading.Event()
    stresser = None
    if load == "stressed":
        stresser = threading.Thread(
            target=stress_loop, args=(transcriber, stress_clip, stop_stress), daemon=True
        )
        stresser.start()
        time.sleep(1.0)  # let it get going

    def on_audio(block: AudioBlock) -> None:
        if recorder.add_audio(block) and stream is not None:
            stream.feed(block.samples)

    done = threading.Event()
    camera.frame.connect(recorder.add_frame)
    mic.block.connect(on_audio)
    recorder.limit_reached.connect(lambda _: done.set())
    camera.failed.connect(lambda error: (recorder.note_device_failure(error), done.set()))
    camera.start()
    time.sleep(0.5)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_before = time.monotonic()
    recorder.start()
    mic.start()
    done.wait(seconds + 5)
    stopped = time.monotonic()
    result = recorder.finish()
    finish_seconds = time.monotonic() - stopped
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic() - wall_before
    camera.stop()
    mic.stop()
    words = 0
    if stream is not None:
        words = len(stream.finish(timeout=120).text.split())
    stop_stress.set()
    if stresser is not None:
        stresser.join()
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return Row(f"{size[0]}x{size[1]}", load, result.metrics, finish_seconds, 100 * cpu / wall, words)


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'size':>9} {'load':>12} {'captured':>8} {'dropped':>8} {'drop %':>7} {'x idle':>6} {'dup %':>6} "
        f"{'A/V ms':>7} {'worst ms':>8} {'finish s':>8} {'CPU %':>6} {'words':>5}"
    )
    print(header)
    print("-" * len(header))
    idle = {r.size: r for r in rows if r.load == "idle"}
    for r in rows:
        m = r.metrics
        base = idle.get(r.size)
        ratio = (
            (m.dropped_ratio / base.metrics.dropped_ratio)
            if base and base.metrics.dropped_ratio
            else float("nan")
        )
        dup = 100 * m.frames_duplicated / max(1, m.frames_written)
        print(
            f"{r.size:>9} {r.load:>12} {m.frames_captured:>8} {m.frames_dropped:>8} {100 * m.dropped_ratio:>6.2f}% "
            f"{ratio:>6.1f} {dup:>5.2f}% {m.av_offset_ms:>7.1f} {m.av_offset_worst_ms:>8.1f} {r.finish_seconds:>8.2f} "
            f"{r.cpu_percent:>6.0f} {r.transcript_words:>5}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="15 s per run instead of 60 s")
    parser.add_argument("--seconds", type=float, default=None, help="length of each recorded answer")
    args = parser.parse_args()
    seconds = args.seconds or (15.0 if args.quick else 60.0)
    transcriber = Transcriber(StationSettings())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-recording-") as tmp:
        folder = Path(tmp)
        speech = speech_wav(folder, seconds)
        stress_clip = speech_wav(folder / "stress", 60.0)
        print(
            f"{os.cpu_count()} cores; {seconds:.0f} s per answer; load average {os.getloadavg()[0]:.1f} at start"
        )
        for width, height in SIZES:
            camera_file = write_test_video(
                folder / f"camera-{width}.mp4", seconds=10, width=width, height=height, face=True
            )
            for load in LOADS:
                try:
                    rows.append(
                        record_once(
                            camera_file=camera_file,
                            speech=speech,
                            size=(width, height),
                            load=load,
                            seconds=seconds,
                            transcriber=transcriber,
                            stress_clip=stress_clip,
                            out=folder / f"answer-{width}-{load}.mp4",
                        )
                    )
                except DeviceError as exc:
                    print(f"{width}x{height} {load}: {exc}")
                print(f"  done {width}x{height} {load} (load average {os.getloadavg()[0]:.1f})", flush=True)
    print()
    print_table(rows)
    print()
    print("x idle: dropped ratio against the idle run of the same size (nan: the idle run dropped none).")


if __name__ == "__main__":
    main()
