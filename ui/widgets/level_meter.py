"""Microphone level meter: a bar from silence to too loud, and the voice's zone in words.

The bar follows each level as it arrives; the words follow the voice over the last few seconds,
computed and judged exactly as the device check judges it (desktop_app/devices/voice_level.py), so
the meter and the check's findings never contradict each other.
"""

import time
from collections import deque
from collections.abc import Callable

from desktop_app.devices.voice_level import (
    QUIET_BELOW_DBFS,
    TOO_LOUD_ABOVE_DBFS,
    TOO_QUIET_BELOW_DBFS,
    VoiceZone,
    voice_level_dbfs,
    zone_of,
)
from ui.qt import QColor, QPainter, QPaintEvent, QRectF, QSize, QSizePolicy, QWidget
from ui.tasks import gui_thread_only

FLOOR_DBFS = -60.0
VOICE_WINDOW_SECONDS = 3.0  # as long as the device check listens
_ZONE_COLOURS = {
    VoiceZone.silent: "#8a9bab",
    VoiceZone.too_quiet: "#8a9bab",
    VoiceZone.quiet: "#8a5a00",
    VoiceZone.good: "#1f7a4d",
    VoiceZone.too_loud: "#b42318",
}


class LevelMeter(QWidget):
    """Shows the microphone's level (dBFS, from the engine's level events) as a coloured bar."""

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setAccessibleName("Microphone level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(28)
        self._clock = clock
        self._recent: deque[tuple[float, float]] = deque()  # (when, dBFS)
        self.dbfs = FLOOR_DBFS
        self.peak_dbfs = FLOOR_DBFS
        self.updates = 0
        self.zone = VoiceZone.silent
        self.setAccessibleDescription(f"Microphone level is {self.zone.value}")

    def sizeHint(self) -> QSize:
        return QSize(480, 32)

    @gui_thread_only
    def set_level(self, dbfs: float, peak_dbfs: float | None = None) -> None:
        now = self._clock()
        self._recent.append((now, float(dbfs)))
        while self._recent and now - self._recent[0][0] > VOICE_WINDOW_SECONDS:
            self._recent.popleft()
        self.dbfs = max(FLOOR_DBFS, min(0.0, float(dbfs)))
        self.peak_dbfs = max(FLOOR_DBFS, min(0.0, float(peak_dbfs if peak_dbfs is not None else dbfs)))
        self.updates += 1
        zone = zone_of(voice_level_dbfs(level for _, level in self._recent))
        if zone is not self.zone:  # screen readers hear a change of zone, not 30 numbers a second
            self.zone = zone
            self.setAccessibleDescription(f"Microphone level is {zone.value}")
        self.update()

    def clear(self) -> None:
        """Forget what was heard (a new check, a new candidate)."""
        self._recent.clear()
        self.dbfs = self.peak_dbfs = FLOOR_DBFS
        self.zone = VoiceZone.silent
        self.setAccessibleDescription(f"Microphone level is {self.zone.value}")
        self.update()

    @property
    def words(self) -> str:
        return self.zone.value

    @staticmethod
    def _fraction(dbfs: float) -> float:
        return (dbfs - FLOOR_DBFS) / -FLOOR_DBFS

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QColor("#52606d"))
        painter.setBrush(QColor("#e4ebf2"))
        painter.drawRoundedRect(bounds, 6, 6)
        colour = QColor(_ZONE_COLOURS[zone_of(self.dbfs)])  # the bar: this moment's level
        filled = QRectF(bounds)
        filled.setWidth(bounds.width() * self._fraction(self.dbfs))
        painter.setPen(colour)
        painter.setBrush(colour)
        if filled.width() > 1:
            painter.drawRoundedRect(filled, 6, 6)
        peak_x = bounds.left() + bounds.width() * self._fraction(self.peak_dbfs)
        painter.setPen(QColor("#102a43"))
        painter.drawLine(int(peak_x), int(bounds.top()), int(peak_x), int(bounds.bottom()))
        for threshold in (TOO_QUIET_BELOW_DBFS, QUIET_BELOW_DBFS, TOO_LOUD_ABOVE_DBFS):  # zone marks
            x = bounds.left() + bounds.width() * self._fraction(threshold)
            painter.drawLine(int(x), int(bounds.bottom() - 8), int(x), int(bounds.bottom()))
