"""A countdown a person can read from a distance: big minutes:seconds, a caption, and a bar."""

import math

from ui.qt import QLabel, QProgressBar, Qt, QVBoxLayout, QWidget


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def spoken_time(seconds: float) -> str:
    whole = max(0, math.ceil(seconds))
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


class Countdown(QWidget):
    """Time left, as the engine reports it (`set_remaining`); it does not keep time itself."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("questionNumber")
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock_label = QLabel("0:00")
        self.clock_label.setObjectName("bigNumber")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(f"{caption} bar")
        layout.addWidget(self.caption_label)
        layout.addWidget(self.clock_label)
        layout.addWidget(self.bar)
        self.remaining = 0.0
        self.total = 0.0
        self.setAccessibleName(caption)

    def set_caption(self, caption: str) -> None:
        self.caption_label.setText(caption)
        self.setAccessibleName(caption)
        self.bar.setAccessibleName(f"{caption} bar")

    def set_remaining(self, remaining: float, total: float) -> None:
        self.remaining = max(0.0, float(remaining))
        self.total = max(0.0, float(total))
        self.clock_label.setText(clock_text(self.remaining))
        fraction = self.remaining / self.total if self.total > 0 else 0.0
        self.bar.setValue(round(1000 * min(1.0, fraction)))
        self.setAccessibleDescription(f"{spoken_time(self.remaining)} left")

    @property
    def text(self) -> str:
        return self.clock_label.text()
