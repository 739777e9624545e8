"""The candidate watches the answer they just recorded, with its sound, before choosing to record it again.

Every call that starts or ends playback goes to the player as a queued meta-call, run later by the
event loop rather than from Python. Stopping from Python held the GIL while Qt waited for its audio
thread, which was itself waiting for the GIL (PySide looks up Python overrides when that thread
drops its connections to our QAudioOutput): the kiosk froze, in about 1 of 10 test runs.
"""

from pathlib import Path

from ui.kiosk.parts import text_label
from ui.qt import (
    Q_ARG,
    QAudioOutput,
    QMediaPlayer,
    QMetaObject,
    QSize,
    Qt,
    QUrl,
    QVBoxLayout,
    QVideoFrame,
    QVideoSink,
    QWidget,
    Signal,
)
from ui.widgets.countdown import clock_text
from ui.widgets.video_player import VideoView

PICTURE_MINIMUM = QSize(240, 135)  # 16:9; the question screen must fit 1366x768 with larger text
CANNOT_PLAY = "We can't play this recording back here. Your answer is kept all the same."


class AnswerPlayback(QWidget):
    """Plays one recorded answer from its file; the question screen owns the Watch and Stop buttons."""

    stopped = Signal()  # played to the end, stopped, or could not play: the camera picture comes back
    failed = Signal(str)  # one sentence for the candidate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Your recorded answer")
        self.view = VideoView()
        self.view.setMinimumSize(PICTURE_MINIMUM)
        self.view.placeholder = ""
        self.time_label = text_label("", role="hint", wrap=False)
        self.time_label.setAccessibleName("Position in your answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.view, stretch=1)
        layout.addWidget(self.time_label)
        # one player, audio output and sink for the screen's life, joined while no media is open
        self.audio = QAudioOutput(self)
        self.sink = QVideoSink(self)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._show_frame)
        self.player.positionChanged.connect(self._show_position)
        self.player.mediaStatusChanged.connect(self._on_media_status)
        self.player.errorOccurred.connect(self._on_error)
        self.source: Path | None = None
        self.frames_shown = 0

    @property
    def playing(self) -> bool:
        return self.source is not None

    def play(self, path: Path) -> None:
        """Play `path` from the start, with sound. A missing file is refused in words, not played."""
        self.stop()
        if not path.is_file():
            self.failed.emit(CANNOT_PLAY)
            return
        self.source = path
        self.frames_shown = 0
        self.time_label.setText("")
        self.view.clear("")
        self._queue("setSource", QUrl.fromLocalFile(str(path)))
        self._queue("play")

    def stop(self) -> None:
        """Stop and let go of the file (the station may move or delete it next). Safe when not playing."""
        if self.source is None:
            return
        self.source = None
        self._queue("stop")
        self._queue("setSource", QUrl())
        self.view.clear("")
        self.time_label.setText("")
        self.stopped.emit()

    def _queue(self, method: str, url: QUrl | None = None) -> None:
        arguments = [] if url is None else [Q_ARG(QUrl, url)]
        QMetaObject.invokeMethod(self.player, method, Qt.ConnectionType.QueuedConnection, *arguments)

    def _show_frame(self, frame: QVideoFrame) -> None:
        if self.source is None or not frame.isValid():
            return  # a frame decoded just before a stop
        self.frames_shown += 1
        self.view.show_image(frame.toImage())

    def _show_position(self, ms: int) -> None:
        if self.source is None:
            return
        duration = self.player.duration()
        self.time_label.setText(f"{clock_text(ms // 1000)} of {clock_text(duration / 1000)}")

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.stop()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail()

    def _on_error(self, error: QMediaPlayer.Error, _message: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            self._fail()

    def _fail(self) -> None:
        if self.source is None:
            return
        self.stop()
        self.failed.emit(CANNOT_PLAY)
