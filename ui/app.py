"""The station window and the Qt application entry."""

import sys

from desktop_app import __version__
from desktop_app.config import StationSettings, load_settings
from desktop_app.errors import StationError
from ui.binding_check import check_qt_binding
from ui.qt import QApplication, QFrame, QLabel, QMainWindow, Qt, QVBoxLayout, QWidget
from ui.style import stylesheet


class StationWindow(QMainWindow):
    """The station's main window: what this station is and how it is set up."""

    def __init__(self, settings: StationSettings) -> None:
        super().__init__()
        self.setWindowTitle("Interview Station")
        self.setMinimumSize(960, 600)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(16)

        title = QLabel("Interview Station")
        title.setObjectName("title")
        subtitle = QLabel("Answer at your own pace. Your answers are saved on this station, even offline.")
        subtitle.setObjectName("subtitle")
        subtitle.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(subtitle)

        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        self.server_label = QLabel(f"Server: {settings.server_url or 'not enrolled yet'}")
        self.camera_label = QLabel(f"Camera: {settings.camera}")
        self.data_label = QLabel(f"Answers are kept in: {settings.data_dir}")
        for label in (self.server_label, self.camera_label, self.data_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            card_layout.addWidget(label)
        layout.addWidget(card)
        layout.addStretch(1)

        version = QLabel(f"Version {__version__}")
        version.setObjectName("muted")
        layout.addWidget(version, alignment=Qt.AlignmentFlag.AlignRight)
        self.setCentralWidget(central)


def run_main_window() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Interview Station")
    app.setStyleSheet(stylesheet())
    try:
        check_qt_binding()
        settings = load_settings()
    except StationError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 2
    window = StationWindow(settings)
    window.show()
    return app.exec()
