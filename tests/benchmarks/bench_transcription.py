"""Streaming transcription against whole-file transcription on generated interview answers.

    python -m tests.benchmarks.bench_transcription [--quick] [--pace 1.0] [--tail-silence 0]

Each clip is spoken by espeak-ng (several voices and speeds) from a fixed corpus of interview-answer
sentences, resampled to 48 kHz (what a microphone delivers) and then:
  * streamed: fed in 20 ms blocks from a producer thread at real-time pace (--pace 2 = twice as
    fast), then `finish()`; latency = time from the last fed sample to the final transcript
    (--tail-silence 1 feeds a second of silence first, as when the candidate presses "done" a
    second after the last word; by default the answer ends right after the last word);
  * whole file: `transcribe_file` on the same audio after the end; latency = its whole run.
Same model and settings for both. Compute = the process CPU seconds of each run (for the stream,
minus the simulated capture thread's own CPU, plus its feed() calls): the figure the compute target
is judged on, since CPU seconds hardly move when other work loads the machine. The time the model was
busy (stream: sum of chunk decodes; whole file: the whole call) is wall-clock and shown apart. "tail s"
is the last chunk, the audio left to decode when the answer ended: the streaming latency is its decode
time. Prints tables, asserts nothing.
"""

import argparse
import random
import re
import resource
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from desktop_app.config import StationSettings
from desktop_app.speech.transcription import Transcriber, TranscriptStream
from tests.support.speech_clips import read_wav, speak_to_wav, write_wav

CAPTURE_RATE = 48_000
BLOCK_SECONDS = 0.02

CORPUS = [
    "I have spent the last five years as a backend engineer at a logistics company.",
    "My main responsibility was the routing service that planned deliveries for our drivers.",
    "One of the hardest problems we faced was scaling the database when our order volume tripled.",
    "We started by measuring where the time actually went, instead of guessing.",
    "Most of the time was spent in a handful of slow queries that nobody had looked at for years.",
    "I rewrote those queries, added the missing indexes, and moved reporting to a read replica.",
    "After that, the average response time dropped from 800 milliseconds to about 120.",
    "When I disagree with a colleague, I try to understand their reasoning before I argue.",
    "Then I bring data to the discussion, because opinions are cheap and measurements are not.",
    "A teammate once wanted to rewrite a service in a new language, and I was worried about the cost.",
    "We agreed to build a small prototype, measure it for two weeks, and decide together.",
    "The prototype was faster, but nobody on the team could run it safely in production.",
    "So we postponed the rewrite and wrote down what we would need before trying again.",
    "I think the most important quality in an engineer is curiosity combined with discipline.",
    "Outside of work, I mentor students from a local coding school.",
    "I help them prepare for their first interviews and review their projects.",
    "If I joined your team, I would start by listening and learning how the system works today.",
    "My biggest weakness used to be saying yes to too many things at once.",
    "Now I write down my commitments every Monday morning and check them on Friday.",
    "In my previous role I managed a team of 6 people across two time zones.",
    "We held a short video call every morning and wrote everything else down.",
    "The best decision I made as a manager was to give people ownership of whole features.",
    "A customer once reported that their invoices were wrong for three months in a row.",
    "I called them the same day, apologized, and promised a fix within a week.",
    "We found a rounding error in the tax calculation and corrected every affected invoice.",
    "Afterwards we added tests for every currency we support, so it could not happen again.",
    "I enjoy working with designers, because they see problems that engineers often miss.",
    "When a deadline is at risk, I tell my manager early and suggest what we could cut.",
    "Delivering a smaller feature on time is usually better than a perfect one that is late.",
    "I learned Python at university and later picked up Go for our network services.",
    "Last year I led the migration of our billing system to a new payment provider.",
    "The hardest part was moving customer data without any downtime.",
    "We ran both systems side by side for a month and compared every transaction.",
    "About 40 percent of our support tickets came from one confusing settings page.",
    "We redesigned that page with the support team, and the tickets dropped by half.",
    "I prefer simple solutions that the whole team can understand and maintain.",
    "Clever code is fun to write, but it is expensive when someone else has to fix it at night.",
    "I would describe my working style as calm, organized, and honest about problems.",
    "In five years I would like to be leading a small team that builds products people love.",
    "Thank you for taking the time to consider my application.",
]


@dataclass(frozen=True)
class ClipSpec:
    name: str
    voice: str
    words_per_minute: int
    target_seconds: int
    seed: int


FULL_SET = [
    ClipSpec("us-160-2min", "en-us", 160, 120, 1),
    ClipSpec("rp-150-3min", "en-gb-x-rp", 150, 180, 2),
    ClipSpec("usf-175-1min", "en-us+f3", 175, 60, 3),
    ClipSpec("scot-140-30s", "en-gb-scotland", 140, 30, 4),
    ClipSpec("gb-185-2min", "en-gb", 185, 120, 5),
]
QUICK_SET = [FULL_SET[0], FULL_SET[3]]


def answer_text(spec: ClipSpec) -> str:
    """Sentences drawn (fixed seed) until the spoken length reaches the target."""
    rng = random.Random(spec.seed)
    sentences: list[str] = []
    words = 0
    while words / spec.words_per_minute * 60 < spec.target_seconds * 0.92:  # pauses add about 8 %
        sentence = rng.choice(CORPUS)
        sentences.append(sentence)
        words += len(sentence.split())
    return " ".join(sentences)


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = "" if n % 100 == 0 else " " + number_words(n % 100)
        return _ONES[n // 100] + " hundred" + rest
    rest = "" if n % 1000 == 0 else " " + number_words(n % 1000)
    return number_words(n // 1000) + " thousand" + rest


def normalize(text: str) -> str:
    """Case, punctuation and numbers normalized the same way on both sides of the WER."""
    text = text.lower().replace("%", " percent").replace("-", " ")
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text)
    text = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " ", text)
    text = re.sub(r"\band\b", " ", text)  # "one hundred and twenty" vs "one hundred twenty"
    text = re.sub(r"[^a-z' ]+", " ", text)
    return " ".join(text.split())


def wer(reference: str, hypothesis: str) -> tuple[float, int, int]:
    """(WER, errors, reference words)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    out = jiwer.process_words(ref, hyp)
    errors = out.substitutions + out.deletions + out.insertions
    words = len(ref.split())
    return errors / words, errors, words


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class StreamRun:
    text: str
    latency: float
    busy: float
    cpu: float
    chunks: int
    tail_seconds: float
    max_feed_ms: float
    max_late_ms: float
    first_update_at: float | None


@dataclass
class FileRun:
    text: str
    latency: float
    cpu: float


def run_stream(transcriber: Transcriber, audio: npt.NDArray[np.float32], pace: float) -> StreamRun:
    updates: list[float] = []
    stream: TranscriptStream = transcriber.open_stream(
        sample_rate=CAPTURE_RATE, on_update=lambda _t: updates.append(time.perf_counter())
    )
    block = int(CAPTURE_RATE * BLOCK_SECONDS)
    feed_times: list[float] = []
    lateness: list[float] = []
    producer_cpu: list[float] = []
    cpu_before = cpu_seconds()
    started = time.perf_counter()

    def produce() -> None:
        thread_cpu = time.thread_time()
        for i, offset in enumerate(range(0, len(audio), block)):
            due = started + (i + 1) * BLOCK_SECONDS / pace  # a block exists once it has been "spoken"
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            lateness.append(time.perf_counter() - due)
            began = time.perf_counter()
            stream.feed(audio[offset : offset + block])
            feed_times.append(time.perf_counter() - began)
        producer_cpu.append(time.thread_time() - thread_cpu)

    producer = threading.Thread(target=produce, name="capture-simulator")
    producer.start()
    producer.join()
    ended = time.perf_counter()
    transcript = stream.finish(timeout=120)
    latency = time.perf_counter() - ended
    return StreamRun(
        text=transcript.text,
        latency=latency,
        busy=stream.compute_seconds,
        # The simulated capture thread's own sleeping and waking is not transcription work;
        # the feed() calls it made are.
        cpu=cpu_seconds() - cpu_before - producer_cpu[0] + sum(feed_times),
        chunks=stream.chunks_decoded,
        tail_seconds=stream.last_chunk_seconds,
        max_feed_ms=max(feed_times) * 1000,
        max_late_ms=max(lateness) * 1000,
        first_update_at=(updates[0] - started) if updates else None,
    )


def run_file(transcriber: Transcriber, wav: Path) -> FileRun:
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    transcript = transcriber.transcribe_file(wav)
    return FileRun(transcript.text, time.perf_counter() - started, cpu_seconds() - cpu_before)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="two clips (2 min and 30 s) instead of five")
    parser.add_argument("--pace", type=float, default=1.0, help="feeding speed; 1 = real time")
    parser.add_argument(
        "--tail-silence",
        type=float,
        default=0.0,
        help="seconds of silence after the last word before the answer ends (default 0: the strict case)",
    )
    args = parser.parse_args()
    specs = QUICK_SET if args.quick else FULL_SET
    settings = StationSettings()
    print(
        f"model {settings.speech_model_dir or 'bundled tiny.en'}, {settings.speech_compute_type}, "
        f"beam {settings.speech_beam_size}, {settings.speech_threads} threads; pace {args.pace}x real time; "
        f"the answer ends {args.tail_silence:.1f} s after the last word"
    )
    loaded = time.perf_counter()
    transcriber = Transcriber(settings)
    print(f"model loaded in {time.perf_counter() - loaded:.2f} s")
    rows: list[list[str]] = []
    extra_rows: list[list[str]] = []
    totals = {"s_err": 0, "f_err": 0, "words": 0, "s_busy": 0.0, "f_busy": 0.0, "s_cpu": 0.0, "f_cpu": 0.0}
    with tempfile.TemporaryDirectory(prefix="bench-transcription-") as tmp:
        for spec in specs:
            reference = answer_text(spec)
            spoken, rate = read_wav(
                speak_to_wav(
                    reference,
                    Path(tmp) / f"{spec.name}.wav",
                    voice=spec.voice,
                    words_per_minute=spec.words_per_minute,
                )
            )
            audio = resample_poly(spoken, CAPTURE_RATE, rate).astype(np.float32)
            silence = np.zeros(int(args.tail_silence * CAPTURE_RATE), dtype=np.float32)
            audio = np.concatenate((audio, silence))
            wav = write_wav(Path(tmp) / f"{spec.name}-48k.wav", audio, CAPTURE_RATE)
            seconds = len(audio) / CAPTURE_RATE
            streamed = run_stream(transcriber, audio, args.pace)
            whole = run_file(transcriber, wav)
            s_wer, s_err, words = wer(reference, streamed.text)
            f_wer, f_err, _ = wer(reference, whole.text)
            totals["s_err"] += s_err
            totals["f_err"] += f_err
            totals["words"] += words
            totals["s_busy"] += streamed.busy
            totals["f_busy"] += whole.latency
            totals["s_cpu"] += streamed.cpu
            totals["f_cpu"] += whole.cpu
            rows.append(
                [
                    spec.name,
                    f"{seconds:.0f}",
                    str(streamed.chunks),
                    f"{streamed.tail_seconds:.1f}",
                    f"{s_wer * 100:.1f}",
                    f"{f_wer * 100:.1f}",
                    f"{(s_wer - f_wer) * 100:+.1f}",
                    f"{streamed.cpu:.2f}",
                    f"{whole.cpu:.2f}",
                    f"{streamed.cpu / whole.cpu:.2f}",
                    f"{streamed.latency:.2f}",
                    f"{whole.latency:.2f}",
                    f"{streamed.latency / whole.latency:.2f}",
                ]
            )
            extra_rows.append(
                [
                    spec.name,
                    spec.voice,
                    str(spec.words_per_minute),
                    f"{streamed.busy / seconds:.3f}",
                    f"{whole.latency / seconds:.3f}",
                    f"{streamed.busy / whole.latency:.2f}",
                    f"{streamed.max_feed_ms:.2f}",
                    f"{streamed.max_late_ms:.1f}",
                    "-" if streamed.first_update_at is None else f"{streamed.first_update_at:.1f}",
                ]
            )
            print(f"  {spec.name}: done", flush=True)
    print()
    print("Streaming (S) vs whole file after the end (F); same model and settings")
    print(
        table(
            [
                "clip",
                "sec",
                "chunks",
                "tail s",
                "WER S %",
                "WER F %",
                "dWER",
                "CPU S s",
                "CPU F s",
                "CPU S/F",
                "latency S",
                "latency F",
                "lat S/F",
            ],
            rows,
        )
    )
    s_total, f_total = totals["s_err"] / totals["words"], totals["f_err"] / totals["words"]
    print(
        f"\nall clips: WER streaming {s_total * 100:.2f} % vs whole file {f_total * 100:.2f} % "
        f"(delta {(s_total - f_total) * 100:+.2f} points; target <= +0.5)\n"
        f"transcription CPU {totals['s_cpu']:.1f} s vs {totals['f_cpu']:.1f} s "
        f"(ratio streaming/whole file {totals['s_cpu'] / totals['f_cpu']:.2f}; target <= 1.0); "
        f"model busy (wall clock, moves with the machine's load) {totals['s_busy']:.1f} s vs "
        f"{totals['f_busy']:.1f} s (ratio {totals['s_busy'] / totals['f_busy']:.2f})"
    )
    latencies = [float(r[10]) for r in rows]
    file_latencies = [float(r[11]) for r in rows]
    print(
        f"latency after the last sample: streaming median {statistics.median(latencies):.2f} s, "
        f"max {max(latencies):.2f} s (target <= 1.0 s); whole file median "
        f"{statistics.median(file_latencies):.2f} s, max {max(file_latencies):.2f} s"
    )
    print()
    print(
        "Model busy time (wall clock) and the capture side while streaming (the producer thread stands in for the audio callback)"
    )
    print(
        table(
            [
                "clip",
                "voice",
                "wpm",
                "RTF S",
                "RTF F",
                "busy S/F",
                "max feed ms",
                "max late ms",
                "1st update s",
            ],
            extra_rows,
        )
    )


if __name__ == "__main__":
    main()
