"""Camera discovery. A camera is a device index or a video file standing in for one."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2

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
