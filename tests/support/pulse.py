"""PulseAudio virtual devices for tests: a speaker sink and a microphone we can feed.

Layout (see STACK-NOTES): null sink `spk` is the speaker; null sink `micfeed` is what we play
into; `virtmic` (a remap of micfeed.monitor) is the microphone. Silent keep-alive streams keep
capture latency at 10-20 ms instead of up to 2 s.
"""

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CONFIG = """
load-module module-native-protocol-unix
load-module module-null-sink sink_name=spk sink_properties=device.description=Speaker
load-module module-null-sink sink_name=micfeed sink_properties=device.description=MicFeed
load-module module-remap-source master=micfeed.monitor source_name=virtmic source_properties=device.description=VirtualMic
set-default-sink spk
set-default-source virtmic
"""


@dataclass
class PulseAudio:
    runtime_dir: Path
    env: dict[str, str]
    keepalives: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def play_into_microphone(self, wav: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["paplay", "--device=micfeed", str(wav)], env=self.env)

    def stop(self) -> None:
        for proc in self.keepalives:
            proc.kill()
            proc.wait()
        subprocess.run(["pulseaudio", "--kill"], env=self.env, check=False, capture_output=True)


def missing_tools() -> list[str]:
    return [tool for tool in ("pulseaudio", "pactl", "pacat", "paplay") if shutil.which(tool) is None]


def start_pulseaudio() -> PulseAudio:
    runtime_dir = Path(tempfile.mkdtemp(prefix="pulse-test-"))
    runtime_dir.chmod(0o700)
    config = runtime_dir / "default.pa"
    config.write_text(CONFIG)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "PULSE_RUNTIME_PATH": str(runtime_dir / "pulse"),
    }
    env.pop("PULSE_SERVER", None)
    subprocess.run(
        ["pulseaudio", "-n", "-F", str(config), "-D", "--exit-idle-time=-1", "--log-target=stderr"],
        env=env,
        check=True,
        capture_output=True,
        timeout=20,
    )
    deadline = time.monotonic() + 15
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("PulseAudio did not come up within 15 s")
        time.sleep(0.1)
    pulse = PulseAudio(runtime_dir, env)
    for sink in ("spk", "micfeed"):
        pulse.keepalives.append(
            subprocess.Popen(
                [
                    "pacat",
                    "-p",
                    f"--device={sink}",
                    "--raw",
                    "--format=s16le",
                    "--rate=48000",
                    "--channels=1",
                    "/dev/zero",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return pulse
