"""The answer video player: QMediaPlayer decoding into a QVideoSink, painted by our own view.

Frames go through a QVideoSink rather than a QVideoWidget so that they can be counted (the tests prove
playback that way) and painted by a plain widget, which renders offscreen and in screenshots alike.
"""

from ui.qt import (
    QAudioOutput,
    QHBoxLayout,
    QImage,
    QLabel,
    QMediaPlayer,
    QPainter,
    QPaintEvent,
    QPushButton,
    QSize,
    QSizePolicy,
    QSlider,
    Qt,
    QUrl,
    QVBoxLayout,
    QVideoFrame,
    QVideoSink,
    QWidget,
    Signal,
)


def clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class VideoView(QWidget):
    """Paints the newest frame, letterboxed; a calm placeholder when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoView")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image = QImage()
        self.placeholder = "No video"

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def show_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self, placeholder: str) -> None:
        self._image = QImage()
        self.placeholder = placeholder
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._image.isNull():
            painter.setPen(Qt.GlobalColor.lightGray)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        else:
            scaled = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.rect().adjusted(x, y, -x, -y), self._image)
        painter.end()


LOADED_STATES = (
    QMediaPlayer.MediaStatus.LoadedMedia,
    QMediaPlayer.MediaStatus.BufferingMedia,
    QMediaPlayer.MediaStatus.BufferedMedia,
)


class VideoPlayer(QWidget):
    """Play / pause, a position slider and a clock under the picture. Emits the position while playing."""

    position_changed = Signal(int)  # milliseconds
    failed = Signal(str)  # one sentence

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoPlayer")
        self.frames_shown = 0
        self._show_first_frame = False
        self._seek_when_loaded: int | None = None
        self.view = VideoView()
        self.audio = QAudioOutput(self)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self._sink_generation = 0
        self.sink = self._new_sink()

        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("secondary")
        self.play_button.setAccessibleName("Play or pause the answer")
        self.play_button.setEnabled(False)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Position in the answer")
        self.slider.setEnabled(False)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("muted")
        self.status_label = QLabel("")
        self.status_label.setObjectName("muted")
        self.status_label.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        layout.addWidget(self.status_label)

        self.player.positionChanged.connect(self._on_position)
        self.player.durationChanged.connect(self._on_duration)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.errorOccurred.connect(self._on_error)
        self.player.mediaStatusChanged.connect(self._on_media_status)
        self.play_button.clicked.connect(self.toggle)
        self.slider.sliderMoved.connect(self.seek)

    # --- control --------------------------------------------------------------------------------
    def open(self, source: str, *, autoplay: bool = False) -> None:
        """Open a URL (the streaming relay) or a local file path (the download cache)."""
        url = QUrl(source) if "://" in source else QUrl.fromLocalFile(source)
        self.frames_shown = 0
        self.player.stop()
        self.player.setSource(QUrl())  # else the new sink is handed the old answer's last picture
        self._replace_sink()
        self.view.clear("Loading…")
        self.status_label.setText("")
        self._show_first_frame = not autoplay
        self._seek_when_loaded = None
        self.player.setSource(url)
        self.play_button.setEnabled(True)
        self.slider.setEnabled(True)
        if autoplay:
            self.player.play()

    def close_media(self, placeholder: str = "No video") -> None:
        self.player.stop()
        self.player.setSource(QUrl())
        self._replace_sink()
        self.view.clear(placeholder)
        self.play_button.setEnabled(False)
        self.slider.setEnabled(False)
        self.time_label.setText("0:00 / 0:00")

    def play(self) -> None:
        self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def seek(self, ms: int) -> None:
        self.player.setPosition(max(0, ms))

    def seek_and_play(self, ms: int) -> None:
        self.seek(ms)
        self.player.play()

    def seek_once_loaded(self, ms: int) -> None:
        """Go to `ms` as soon as the media opened by `open` can seek (at once if it already can)."""
        if self.player.mediaStatus() in (*LOADED_STATES, QMediaPlayer.MediaStatus.EndOfMedia):
            self.seek(ms)
        else:
            self._seek_when_loaded = ms

    @property
    def position(self) -> int:
        return int(self.player.position())

    # --- player events --------------------------------------------------------------------------
    def _new_sink(self) -> QVideoSink:
        """A fresh sink for each source, its frames tagged with the source's generation.

        Frames are decoded on another thread and arrive queued, so frames of the previous source can
        still come in after open() or close. They carry an old generation and are dropped: a stale
        picture never replaces "Loading…" or an error sentence, nor counts as shown.
        """
        self._sink_generation += 1
        generation = self._sink_generation
        sink = QVideoSink(self)
        sink.videoFrameChanged.connect(lambda frame: self._show_frame(frame, generation))
        self.player.setVideoSink(sink)
        return sink

    def _replace_sink(self) -> None:
        old, self.sink = self.sink, self._new_sink()
        old.deleteLater()

    def _show_frame(self, frame: QVideoFrame, generation: int) -> None:
        if not frame.isValid() or generation != self._sink_generation:
            return
        self.frames_shown += 1
        self.view.show_image(frame.toImage())

    def _on_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
        self.time_label.setText(f"{clock(ms)} / {clock(self.player.duration())}")
        self.position_changed.emit(int(ms))

    def _on_duration(self, ms: int) -> None:
        self.slider.setRange(0, max(0, ms))
        self.time_label.setText(f"{clock(self.player.position())} / {clock(ms)}")

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("Pause" if playing else "Play")

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._show_first_frame:
            self._show_first_frame = False
            self.player.pause()  # paused, not stopped: the first picture shows instead of a black box
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._seek_when_loaded is not None:
            self.seek(self._seek_when_loaded)
            self._seek_when_loaded = None
        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail("This answer's video can't be played; the file may be damaged.")

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        if error in (QMediaPlayer.Error.NetworkError, QMediaPlayer.Error.AccessDeniedError):
            self._fail("The video could not be loaded from the server; try again.")
        else:
            self._fail("This answer's video can't be played; the file may be damaged.")

    def _fail(self, sentence: str) -> None:
        self.view.clear(sentence)
        self.status_label.setText(sentence)
        self.failed.emit(sentence)
