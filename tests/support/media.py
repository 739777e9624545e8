"""Generated media for tests: a video file that stands in for a camera."""

from pathlib import Path

import av
import numpy as np


def write_test_video(
    path: Path, *, seconds: float = 2.0, width: int = 640, height: int = 480, fps: int = 30
) -> Path:
    """A moving gradient with a frame counter stripe, encoded as H.264 MP4."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        x = np.linspace(0, 255, width, dtype=np.float32)
        for i in range(int(seconds * fps)):
            frame = np.empty((height, width, 3), dtype=np.uint8)
            frame[..., 0] = (x + i * 4) % 256
            frame[..., 1] = 128
            frame[..., 2] = (255 - x) % 256
            frame[: height // 10, : (i * 7) % width] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
