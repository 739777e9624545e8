"""A virtual X screen (Xvfb) that a test types into with real key events (xdotool, XTEST).

Keys go to whatever window has the X input focus, exactly as from a USB keyboard: the kiosk must
have made itself the active window for them to arrive.
"""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REQUIRED_TOOLS = ("Xvfb", "xdotool")


def missing_x_tools() -> list[str]:
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


@dataclass
class VirtualScreen:
    display: str
    width: int
    height: int
    process: subprocess.Popen[bytes]

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display}

    def key(self, *keys: str) -> None:
        """Press and release each key (X keysym names: Return, Tab, space, ...) in turn."""
        self._xdotool("key", "--delay", "80", *keys)

    def type_text(self, text: str) -> None:
        self._xdotool("type", "--delay", "60", text)

    def wait_for_focused_window(self, title: str, timeout: float) -> bool:
        """Until the window named `title` is mapped and has the X input focus (keys sent before that
        are lost: a kiosk logs its first screen before its window is on screen)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            focused = subprocess.run(
                ["xdotool", "getwindowfocus", "getwindowname"],
                env={**os.environ, **self.env},
                capture_output=True,
                text=True,
                check=False,
            )
            if focused.returncode == 0 and focused.stdout.strip() == title:
                return True
            time.sleep(0.1)
        return False

    def screenshot(self, path: Path) -> Path | None:
        """The whole screen as PNG (needs ImageMagick's `import`); None when it cannot be taken."""
        if shutil.which("import") is None:
            return None
        done = subprocess.run(
            ["import", "-window", "root", "-display", self.display, str(path)],
            capture_output=True,
            timeout=30,
            check=False,
        )
        return path if done.returncode == 0 else None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def _xdotool(self, *args: str) -> None:
        subprocess.run(
            ["xdotool", *args], env={**os.environ, **self.env}, check=True, capture_output=True, timeout=30
        )


def start_virtual_screen(width: int, height: int, *, display: str | None = None) -> VirtualScreen:
    """Xvfb at width x height; on `display` (":61") or on the first free one, which Xvfb picks itself."""
    missing = missing_x_tools()
    if missing:
        raise RuntimeError(f"missing X tools: {', '.join(missing)} (sudo apt-get install xvfb xdotool)")
    read_end, write_end = os.pipe()
    where = [display] if display else ["-displayfd", str(write_end)]
    process = subprocess.Popen(
        ["Xvfb", *where, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        if display is None:
            with os.fdopen(read_end) as announced:  # Xvfb writes the number once it accepts clients
                number = announced.readline().strip()
            if not number:
                raise RuntimeError(f"Xvfb did not start (exit code {process.poll()})")
            display = f":{number}"
        else:
            os.close(read_end)
            _wait_until_accepting(display, process)
    except BaseException:
        process.kill()
        process.wait(10)
        raise
    return VirtualScreen(display, width, height, process)


def _wait_until_accepting(display: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Xvfb did not start on {display} (is another X server using it?)")
        probe = subprocess.run(
            ["xdotool", "getmouselocation"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"Xvfb on {display} did not accept clients within 15 s")
