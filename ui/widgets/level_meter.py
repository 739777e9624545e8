"""Microphone level meter: a bar from silence to too loud, with the zones a person can act on."""

from ui.qt import QColor, QPainter, QPaintEvent, QRectF, QSize, QSizePolicy, QWidget
from ui.tasks import gui_thread_only

FLOOR_DBFS = -60.0
QUIET_BELOW_DBFS = -40.0  # below this while speaking: move closer or speak up
LOUD_ABOVE_DBFS = -6.0  # above this: too close or too loud; clipping is near


def level_words(dbfs: float) -> str:
    """The level in words a candidate understands."""
    if dbfs < QUIET_BELOW_DBFS:
        return "quiet"
    if dbfs > LOUD_ABOVE_DBFS:
        return "too loud"
    return "good"


class LevelMeter(QWidget):
    """Shows the microphone's level (dBFS, from the engine's level events) as a coloured bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Microphone level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(28)
        self.dbfs = FLOOR_DBFS
        self.peak_dbfs = FLOOR_DBFS
        self.updates = 0
        self._words = ""
        self._set_words(level_words(FLOOR_DBFS))

    def sizeHint(self) -> QSize:
        return QSize(480, 32)

    @gui_thread_only
    def set_level(self, dbfs: float, peak_dbfs: float | None = None) -> None:
        self.dbfs = max(FLOOR_DBFS, min(0.0, float(dbfs)))
        self.peak_dbfs = max(FLOOR_DBFS, min(0.0, float(peak_dbfs if peak_dbfs is not None else dbfs)))
        self.updates += 1
        self._set_words(level_words(self.dbfs))
        self.update()

    def _set_words(self, words: str) -> None:
        if words != self._words:  # screen readers hear a change of zone, not 30 numbers a second
            self._words = words
            self.setAccessibleDescription(f"Microphone level is {words}")

    @property
    def words(self) -> str:
        return self._words

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
        colour = {"quiet": "#8a9bab", "good": "#1f7a4d", "too loud": "#b42318"}[self._words]
        filled = QRectF(bounds)
        filled.setWidth(bounds.width() * self._fraction(self.dbfs))
        painter.setPen(QColor(colour))
        painter.setBrush(QColor(colour))
        if filled.width() > 1:
            painter.drawRoundedRect(filled, 6, 6)
        peak_x = bounds.left() + bounds.width() * self._fraction(self.peak_dbfs)
        painter.setPen(QColor("#102a43"))
        painter.drawLine(int(peak_x), int(bounds.top()), int(peak_x), int(bounds.bottom()))
        for threshold in (QUIET_BELOW_DBFS, LOUD_ABOVE_DBFS):  # zone marks
            x = bounds.left() + bounds.width() * self._fraction(threshold)
            painter.drawLine(int(x), int(bounds.bottom() - 6), int(x), int(bounds.bottom()))
