"""Live camera preview: paints the newest frame the engine delivered, scaled to fit, never stretched."""

from typing import Any

from ui.qt import QColor, QImage, QPainter, QPaintEvent, QRect, QSize, QSizePolicy, Qt, QWidget
from ui.tasks import gui_thread_only

NO_PICTURE_TEXT = "No picture from the camera yet"


def frame_to_image(frame: Any) -> QImage:
    """A numpy frame (height x width x 3, BGR as OpenCV gives it, uint8) as a QImage that owns its pixels."""
    height, width = frame.shape[:2]
    if frame.ndim != 3 or frame.shape[2] != 3:
        raise ValueError(f"expected a BGR frame of shape (h, w, 3), got {frame.shape}")
    if not frame.flags["C_CONTIGUOUS"]:
        frame = frame.copy(order="C")
    image = QImage(frame.data, width, height, int(frame.strides[0]), QImage.Format.Format_BGR888)
    return image.copy()  # detach from the numpy buffer, which the engine may reuse


class CameraPreview(QWidget):
    """Shows what the camera sees, so the candidate can check they are in the picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Camera preview")
        self.setAccessibleDescription("Shows what the camera sees. Make sure your face is in the picture.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self._image: QImage | None = None
        self.frames_shown = 0
        self.mirrored = True  # people expect to see themselves as in a mirror

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    @gui_thread_only
    def set_frame(self, frame: Any) -> None:
        self._image = frame_to_image(frame)
        self.frames_shown += 1
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    @property
    def has_picture(self) -> bool:
        return self._image is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b1620"))
        if self._image is None:
            painter.setPen(QColor("#e6edf3"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, NO_PICTURE_TEXT)
            return
        image = self._image.flipped(Qt.Orientation.Horizontal) if self.mirrored else self._image
        scaled = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, scaled.width(), scaled.height())
        target.moveCenter(self.rect().center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image)
