"""The candidate watches the answer they just recorded, with its sound, before choosing to record again."""

from pathlib import Path

from ui.kiosk.parts import text_label
from ui.qt import QSize, QVBoxLayout, QWidget, Signal
from ui.widgets.countdown import clock_text
from ui.widgets.video_player import VideoPlayer

PICTURE_MINIMUM = QSize(240, 135)  # 16:9; the question screen must fit 1366x768 with larger text
CANNOT_PLAY = "We can't play this recording back here. Your answer is kept all the same."


class AnswerPlayback(QWidget):
    """Plays one recorded answer from its file; the question screen owns the Watch and Stop buttons."""

    stopped = Signal()  # played to the end, stopped, or could not play: the camera picture comes back
    failed = Signal(str)  # one sentence for the candidate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Your recorded answer")
        self.video = VideoPlayer(show_controls=False)
        self.video.view.placeholder = ""
        self.video.view.setMinimumSize(PICTURE_MINIMUM)
        self.time_label = text_label("", role="hint", wrap=False)
        self.time_label.setAccessibleName("Position in your answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.video, stretch=1)
        layout.addWidget(self.time_label)
        self.source: Path | None = None
        self.video.position_changed.connect(self._show_position)
        self.video.ended.connect(self.stop)
        self.video.failed.connect(self._failed)

    @property
    def playing(self) -> bool:
        return self.source is not None

    @property
    def frames_shown(self) -> int:
        return self.video.frames_shown

    def play(self, path: Path) -> None:
        """Play `path` from the start, with sound. A missing file is refused in words, not played."""
        self.stop()
        if not path.is_file():
            self.failed.emit(CANNOT_PLAY)
            return
        self.source = path
        self.time_label.setText("")
        self.video.open(str(path), autoplay=True)

    def stop(self) -> None:
        """Stop and let go of the file (the station may move or delete it next). Safe when not playing."""
        if self.source is None:
            return
        self.source = None
        self.video.close_media(placeholder="")
        self.time_label.setText("")
        self.stopped.emit()

    def _show_position(self, ms: int) -> None:
        duration = self.video.player.duration()
        self.time_label.setText(f"{clock_text(ms // 1000)} of {clock_text(duration / 1000)}")

    def _failed(self, _desk_sentence: str) -> None:
        if self.source is None:
            return
        self.stop()
        self.failed.emit(CANNOT_PLAY)
