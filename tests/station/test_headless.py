"""`interview-station run --headless`, run as a user runs it: files out, clear errors, crash and resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest

from tests.station.conftest import SPOKEN_KEY_WORDS
from tests.support.media import write_speech_wav

BIN = Path(sys.executable).parent / "interview-station"

ANSWERS = [
    "I led the migration of our billing system to a new database with zero downtime.",
    "I enjoy teaching junior engineers how to write careful tests.",
    "In five years I hope to lead a small team building reliable products.",
]


def write_plan(path: Path, questions: int = 2, **extra: object) -> Path:
    plan = {
        **extra,
        "questions": [
            {
                "id": f"q{i + 1}",
                "text": f"Question number {i + 1}: tell us about your work.",
                "think_seconds": 0,
                "answer_seconds": 20,
                "max_attempts": 2,
            }
            for i in range(questions)
        ],
    }
    path.write_text(json.dumps(plan))
    return path


@pytest.fixture(scope="module")
def answer_wavs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("answers")
    return [write_speech_wav(folder / f"a{i + 1}.wav", text) for i, text in enumerate(ANSWERS)]


def station(
    *args: str, env: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, timeout=timeout, env=env or os.environ.copy()
    )


def media_info(path: Path) -> tuple[float, float]:
    """(video seconds, audio seconds), decoding every frame: the file must be complete."""
    with av.open(str(path)) as container:
        assert container.streams.video and container.streams.audio
        video = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video))
        container.seek(0)
        audio = container.streams.audio[0]
        samples = sum(f.samples for f in container.decode(audio))
    return frames / float(video.average_rate), samples / audio.rate


def audio_seconds(wav: Path) -> float:
    with av.open(str(wav)) as container:
        stream = container.streams.audio[0]
        return sum(f.samples for f in container.decode(stream)) / stream.rate


def test_headless_interview_writes_playable_answers_transcripts_and_a_summary(
    tmp_path, face_video, answer_wavs
):
    plan = write_plan(tmp_path / "plan.json", questions=2)
    out = tmp_path / "out"
    result = station(
        "run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]), "--mic", str(answer_wavs[1]),
        "--plan", str(plan), "--out", str(out), "--consent-given",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Interview finished: 2 answer(s)" in result.stdout
    for number, wav in ((1, answer_wavs[0]), (2, answer_wavs[1])):
        media = out / f"q{number}-attempt1.mp4"
        video_s, audio_s = media_info(media)
        spoken = audio_seconds(wav)
        # The answer ends when its audio file does.
        assert spoken - 0.2 <= audio_s <= spoken + 0.6
        assert abs(video_s - audio_s) < 0.3
        transcript = json.loads((out / f"q{number}-attempt1.transcript.json").read_text())
        assert set(transcript) >= {"text", "language", "model", "segments"}
        assert transcript["segments"][0]["words"]
    first = json.loads((out / "q1-attempt1.transcript.json").read_text())["text"].lower()
    assert sum(word in first for word in SPOKEN_KEY_WORDS) >= 2, first
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished"
    assert [a["question_id"] for a in summary["answers"]] == ["q1", "q2"]
    assert all(a["transcript_status"] == "done" for a in summary["answers"])
    assert {f["name"] for f in summary["device_check"]} >= {"face", "lighting", "frame rate"}
    assert not list(out.glob("*.part"))


def test_headless_refuses_without_consent(tmp_path, face_video, answer_wavs):
    plan = write_plan(tmp_path / "plan.json", questions=1)
    out = tmp_path / "out"
    result = station("run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                     "--plan", str(plan), "--out", str(out))  # fmt: skip
    assert result.returncode == 2
    assert "consent" in result.stderr.lower()
    assert "--consent-given" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_run_without_headless_says_what_to_do(tmp_path, face_video, answer_wavs):
    plan = write_plan(tmp_path / "plan.json", questions=1)
    result = station("run", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                     "--plan", str(plan), "--out", str(tmp_path / "out"), "--consent-given")  # fmt: skip
    assert result.returncode == 2
    assert "--headless" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"questions": []}', "not valid"),
        ('{"questions": [{"id": "q1"}]}', "questions.0.text"),
    ],
)
def test_bad_plan_file_is_a_clear_error(tmp_path, face_video, answer_wavs, content, expected):
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    result = station("run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                     "--plan", str(plan), "--out", str(tmp_path / "out"), "--consent-given")  # fmt: skip
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_plan_and_too_few_answer_files_are_clear_errors(tmp_path, face_video, answer_wavs):
    missing = station("run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                      "--plan", str(tmp_path / "nope.json"), "--out", str(tmp_path / "out"), "--consent-given")  # fmt: skip
    assert missing.returncode == 2 and "could not be read" in missing.stderr
    plan = write_plan(tmp_path / "plan.json", questions=3)
    too_few = station("run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                      "--plan", str(plan), "--out", str(tmp_path / "out"), "--consent-given")  # fmt: skip
    assert too_few.returncode == 2 and "3 questions" in too_few.stderr
    assert "Traceback" not in missing.stderr + too_few.stderr


def test_missing_speech_model_records_anyway_with_the_transcript_pending(tmp_path, face_video, answer_wavs):
    plan = write_plan(tmp_path / "plan.json", questions=1)
    out = tmp_path / "out"
    env = {**os.environ, "INTERVIEW_STATION_SPEECH_MODEL_DIR": str(tmp_path / "no-model")}
    result = station("run", "--headless", "--camera", str(face_video), "--mic", str(answer_wavs[0]),
                     "--plan", str(plan), "--out", str(out), "--consent-given", env=env)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "speech model directory" in result.stdout and "does not exist" in result.stdout
    assert "transcript pending" in result.stdout
    media_info(out / "q1-attempt1.mp4")
    assert not (out / "q1-attempt1.transcript.json").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["answers"][0]["transcript_status"] == "pending"
    assert any("does not exist" in error for error in summary["errors"])


def test_killed_mid_interview_resumes_at_the_same_question_without_duplicates(
    tmp_path, face_video, answer_wavs
):
    plan = write_plan(tmp_path / "plan.json", questions=3)
    out = tmp_path / "out"
    args = ["run", "--headless", "--camera", str(face_video), *[a for w in answer_wavs for a in ("--mic", str(w))],
            "--plan", str(plan), "--out", str(out), "--consent-given"]  # fmt: skip
    proc = subprocess.Popen([str(BIN), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    for line in proc.stdout:  # kill -9 while question 2 is being recorded
        seen.append(line)
        if "Question 2/3" in "".join(seen) and "recording attempt" in line:
            time.sleep(1.0)
            proc.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "".join(seen)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    first = json.loads((out / "q1-attempt1.answer.json").read_text())
    assert not (out / "q2-attempt1.mp4").exists()  # only the half-written .part exists
    assert list(out.glob("q2-attempt1.mp4.part"))

    resumed = station(*args)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "(resumed at question 2)" in resumed.stdout
    assert "Question 1/3" not in resumed.stdout  # question 1 is not asked again
    assert "Question 2/3" in resumed.stdout
    # Exactly one answer per question; question 1's answer is the one from before the crash.
    assert sorted(p.name for p in out.glob("*.mp4")) == [
        "q1-attempt1.mp4",
        "q2-attempt1.mp4",
        "q3-attempt1.mp4",
    ]
    assert json.loads((out / "q1-attempt1.answer.json").read_text())["answer_id"] == first["answer_id"]
    summary = json.loads((out / "summary.json").read_text())
    assert [a["question_id"] for a in summary["answers"]] == ["q1", "q2", "q3"]
    assert len({a["answer_id"] for a in summary["answers"]}) == 3
    assert not list(out.glob("*.part"))
    for media in out.glob("*.mp4"):
        media_info(media)

    again = station(*args)  # a finished interview is never recorded again
    assert again.returncode == 0
    assert "already completed" in again.stdout
    assert sorted(p.name for p in out.glob("*.mp4")) == [
        "q1-attempt1.mp4",
        "q2-attempt1.mp4",
        "q3-attempt1.mp4",
    ]
