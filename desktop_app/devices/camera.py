"""Cameras: discovery and capture. A camera is a device index or a video file standing in for one."""

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from desktop_app.errors import DeviceError
from desktop_app.recording.clock import monotonic, sleep_until
from desktop_app.signals import Signal

MAX_PROBED_INDEX = 4


@dataclass(frozen=True)
class CameraInfo:
    source: str
    width: int
    height: int
    fps: float
    is_file: bool


def _probe(source: str | int) -> CameraInfo | None:
    capture = cv2.VideoCapture(source)
    try:
        if not capture.isOpened():
            return None
        ok, frame = capture.read()
        if not ok or frame is None:
            return None
        height, width = frame.shape[:2]
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        return CameraInfo(str(source), int(width), int(height), fps, isinstance(source, str))
    finally:
        capture.release()


def describe_camera(source: str) -> CameraInfo | None:
    """Open the camera (index or file) and read one frame; None when it gives no picture."""
    if source.isdigit():
        return _probe(int(source))
    if not Path(source).is_file():
        return None
    return _probe(source)


def list_cameras() -> list[CameraInfo]:
    """Camera devices that open and deliver a frame (indices 0..MAX_PROBED_INDEX)."""
    utils_logging: Any = getattr(cv2, "utils", None) and getattr(cv2.utils, "logging", None)
    previous = utils_logging.getLogLevel() if utils_logging else None
    if utils_logging:
        utils_logging.setLogLevel(utils_logging.LOG_LEVEL_SILENT)  # absent indices are expected to fail
    try:
        return [info for index in range(MAX_PROBED_INDEX + 1) if (info := _probe(index))]
    finally:
        if utils_logging:
            utils_logging.setLogLevel(previous)


@dataclass(frozen=True)
class CameraFrame:
    """One picture (BGR, height x width x 3) and when it was captured on the shared clock."""

    image: "np.ndarray[Any, np.dtype[np.uint8]]"
    timestamp: float
    index: int


class CameraCapture:
    """Reads a camera (index) or a video file on its own thread and emits stamped frames.

    A device is read as fast as it delivers; a file is paced to `fps` so it behaves like a camera,
    and either loops or ends (`ended` is emitted). A device that stops delivering, or cannot be
    read, emits `failed` with a DeviceError; the thread then stops.

    Signals: `frame` (CameraFrame), `failed` (DeviceError), `ended` (None).
    """

    def __init__(
        self,
        source: str,
        *,
        fps: float = 30.0,
        width: int | None = None,
        height: int | None = None,
        loop: bool = True,
        stall_seconds: float = 2.0,
    ) -> None:
        self.source = source
        self.fps = float(fps)
        self.width = width
        self.height = height
        self.loop = loop
        self.stall_seconds = stall_seconds
        self.frame: Signal[CameraFrame] = Signal("camera.frame")
        self.failed: Signal[DeviceError] = Signal("camera.failed")
        self.ended: Signal[None] = Signal("camera.ended")
        self.frames_delivered = 0
        self._capture: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_file(self) -> bool:
        return not self.source.isdigit()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Open the source and start delivering frames.

        Raises:
            DeviceError: the camera or file cannot be opened or gives no picture.
        """
        if self.is_file and not Path(self.source).is_file():
            raise DeviceError(
                f"The video file '{self.source}' standing in for the camera does not exist.",
                fix="Give an existing video file, or a camera index such as 0.",
            )
        capture = cv2.VideoCapture(int(self.source) if not self.is_file else self.source)
        if not capture.isOpened():
            capture.release()
            raise DeviceError(
                f"The camera '{self.source}' could not be opened.",
                fix="Check that the camera is connected and not used by another program.",
            )
        if not self.is_file:
            capture.set(cv2.CAP_PROP_FPS, self.fps)
            if self.width and self.height:
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._capture = capture
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.source}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the capture thread and release the device (safe to call twice)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None

    def _read(self) -> "np.ndarray[Any, np.dtype[np.uint8]] | None":
        ok, image = self._capture.read()
        if ok and image is not None:
            return image  # type: ignore[no-any-return]
        if self.is_file and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
            if ok and image is not None:
                return image  # type: ignore[no-any-return]
        return None

    def _run(self) -> None:
        period = 1.0 / self.fps
        next_due = monotonic()
        last_frame_at = monotonic()
        try:
            while not self._stop.is_set():
                image = self._read()
                if image is None:
                    if self.is_file:
                        self.ended.emit(None)
                        return
                    if monotonic() - last_frame_at > self.stall_seconds:
                        self.failed.emit(
                            DeviceError(
                                f"The camera '{self.source}' stopped delivering pictures.",
                                fix="Check the camera cable and that no other program took the camera.",
                            )
                        )
                        return
                    time.sleep(0.01)
                    continue
                stamp = monotonic()
                if self.is_file:
                    # A file decodes faster than real time: hold each frame until its slot. A sensor
                    # captures on its schedule even when our thread runs late, so a frame read less
                    # than one period late keeps its scheduled instant; later than that, the slot is
                    # lost (as a camera that does not wait for us) and the schedule restarts from now.
                    sleep_until(next_due)
                    stamp = monotonic()
                    if stamp - next_due < period:
                        stamp = next_due
                    next_due = max(next_due + period, stamp)
                last_frame_at = stamp
                self.frame.emit(CameraFrame(image, stamp, self.frames_delivered))
                self.frames_delivered += 1
        except cv2.error as exc:
            self.failed.emit(DeviceError(f"The camera '{self.source}' failed ({exc}).", fix=None))
        finally:
            self._capture.release()
