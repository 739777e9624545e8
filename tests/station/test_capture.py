"""Camera, microphone and speaker capture on real (virtual) devices."""

import subprocess
import threading
import time
import wave

import numpy as np
import pytest

from desktop_app.devices.camera import CameraCapture, CameraFrame
from desktop_app.devices.microphone import AudioBlock, AudioFileMicrophone, MicrophoneCapture
from desktop_app.devices.speaker import play_file
from desktop_app.errors import DeviceError
from tests.support.media import write_test_video, write_tone_wav


def test_file_camera_delivers_frames_at_the_configured_rate_and_loops(face_video):
    camera = CameraCapture(str(face_video), fps=15, loop=True)
    frames: list[CameraFrame] = []
    camera.frame.connect(frames.append)
    camera.start()
    time.sleep(2.6)  # longer than the 2 s file: it must loop
    camera.stop()
    assert 30 <= len(frames) <= 42  # 15 fps for 2.6 s; a starved thread loses a slot or two
    gaps = np.diff([f.timestamp for f in frames])
    assert abs(float(np.median(gaps)) - 1 / 15) < 0.01
    assert frames[0].image.shape == (480, 640, 3)


def test_file_camera_that_does_not_loop_ends(tmp_path):
    video = write_test_video(tmp_path / "short.mp4", seconds=0.5)
    camera = CameraCapture(str(video), fps=30, loop=False)
    ended = threading.Event()
    camera.ended.connect(lambda _: ended.set())
    camera.start()
    assert ended.wait(3)
    assert camera.frames_delivered == 15
    camera.stop()


def test_missing_camera_file_is_a_clear_error(tmp_path):
    with pytest.raises(DeviceError, match="does not exist"):
        CameraCapture(str(tmp_path / "nope.mp4")).start()


@pytest.mark.audio
def test_microphone_records_what_is_played_into_the_virtual_microphone(virtual_audio, tmp_path):
    tone = write_tone_wav(tmp_path / "tone.wav", seconds=1.0, frequency=440, amplitude=0.5)
    mic = MicrophoneCapture(None, sample_rate=48_000)
    blocks: list[AudioBlock] = []
    mic.block.connect(blocks.append)
    mic.start()
    try:
        time.sleep(0.3)
        virtual_audio.play_into_microphone(tone).wait(10)
        time.sleep(0.3)
    finally:
        mic.stop()
    audio = np.concatenate([b.samples for b in blocks])
    loud = np.abs(audio) > 0.1
    assert loud.sum() > 48_000 * 0.8, "the tone did not arrive"
    onset = int(np.argmax(loud)) + 4_800
    window = audio[onset : onset + 24_000]
    peak_hz = np.argmax(np.abs(np.fft.rfft(window))) * 48_000 / len(window)
    assert abs(peak_hz - 440) < 5
    stamps = np.array([b.timestamp for b in blocks])
    durations = np.array([b.duration for b in blocks])
    # Consecutive blocks follow each other on the shared clock: stamps advance by the block length.
    assert np.all(np.diff(stamps) > 0)
    assert abs(float(np.median(np.diff(stamps) - durations[:-1]))) < 0.005


@pytest.mark.audio
def test_unknown_microphone_is_a_clear_error(virtual_audio):
    with pytest.raises(DeviceError, match="could not be opened"):
        MicrophoneCapture("no such microphone").start()


def test_audio_file_microphone_plays_in_real_time(spoken_answer_wav):
    mic = AudioFileMicrophone(spoken_answer_wav, sample_rate=48_000)
    blocks: list[AudioBlock] = []
    ended = threading.Event()
    mic.block.connect(blocks.append)
    mic.ended.connect(lambda _: ended.set())
    started = time.monotonic()
    mic.start()
    assert ended.wait(mic.duration + 2)
    elapsed = time.monotonic() - started
    assert abs(elapsed - mic.duration) < 0.5  # paced in real time, not as fast as it decodes
    assert abs(sum(b.duration for b in blocks) - mic.duration) < 0.001


@pytest.mark.audio
def test_speaker_playback_blocks_until_the_sound_was_played(virtual_audio, tmp_path):
    tone = write_tone_wav(tmp_path / "tone.wav", seconds=1.5, frequency=660, amplitude=0.4)
    captured = tmp_path / "speaker.wav"
    recorder = subprocess.Popen(
        ["parec", "--device=spk.monitor", "--file-format=wav", "--rate=48000", "--channels=1", str(captured)],
        env=virtual_audio.env,
    )
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert play_file(tone) is True
        elapsed = time.monotonic() - started
        time.sleep(0.2)
    finally:
        recorder.terminate()
        recorder.wait(5)
    # Never returns before the sound is out; the upper bound is loose because PulseAudio's ALSA
    # bridge runs slower than real time when the 2 cores are busy (seen: 1 s of sound in 2.8 s).
    assert elapsed >= 1.45
    with wave.open(str(captured)) as heard:
        samples = np.frombuffer(heard.readframes(heard.getnframes()), dtype=np.int16) / 32768
    windows = samples[: len(samples) // 480 * 480].reshape(-1, 480)  # 10 ms each
    loud_seconds = (np.sqrt((windows**2).mean(axis=1)) > 0.2).sum() / 100
    assert loud_seconds > 1.3, "the speaker did not play the tone"


@pytest.mark.audio
def test_speaker_playback_can_be_stopped(virtual_audio, tmp_path):
    tone = write_tone_wav(tmp_path / "tone.wav", seconds=3.0)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    assert play_file(tone, stop=stop) is False
    assert time.monotonic() - started < 1.0
