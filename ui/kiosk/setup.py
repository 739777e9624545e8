"""Station setup, behind the staff PIN: enroll, choose and test devices, see the sync queue."""

from dataclasses import dataclass

from ui.kiosk.parts import KioskButton, KioskScreen, button_row, text_label
from ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.level_meter import LevelMeter


@dataclass(frozen=True)
class Choice:
    """One entry of a device list: what the person reads, what the settings store."""

    label: str
    value: str | None


@dataclass(frozen=True)
class DeviceChoices:
    camera: str | None
    microphone: str | None
    speaker: str | None
    voice: str | None


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(22, 14, 22, 14)
    layout.setSpacing(10)
    layout.addWidget(text_label(title, role="orgName"))
    return card, layout


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setMinimumWidth(320)
    return combo


class StationSetupScreen(KioskScreen):
    enroll_requested = Signal(str, str)  # server URL, enrollment code
    save_devices_requested = Signal(object)  # DeviceChoices
    test_camera_requested = Signal(object)  # camera value
    test_microphone_requested = Signal(object)
    test_speaker_requested = Signal(object, object)  # speaker, voice
    refresh_queue_requested = Signal()
    back_requested = Signal()
    exit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.page.setContentsMargins(60, 12, 60, 24)
        self.page.setSpacing(12)
        self.page.addWidget(text_label("Station setup", role="kioskTitle"))
        self.page.addWidget(text_label("Staff only. Candidates cannot see this screen.", role="hint"))
        columns = QHBoxLayout()
        columns.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(20)

        enroll_card, enroll = _card("Connect to a server")
        self.enrolled_label = text_label("", role="hint")
        enroll.addWidget(self.enrolled_label)
        form = QFormLayout()
        self.server_url_edit = QLineEdit()
        self.server_url_edit.setAccessibleName("Server address")
        self.server_url_edit.setPlaceholderText("https://interviews.example.org")
        self.enrollment_code_edit = QLineEdit()
        self.enrollment_code_edit.setAccessibleName("Enrollment code")
        self.enrollment_code_edit.setPlaceholderText("from the admin")
        form.addRow("Server", self.server_url_edit)
        form.addRow("Code", self.enrollment_code_edit)
        enroll.addLayout(form)
        self.enroll_button = KioskButton("Enroll this station")
        self.enroll_button.clicked.connect(
            lambda: self.enroll_requested.emit(
                self.server_url_edit.text().strip(), self.enrollment_code_edit.text().strip()
            )
        )
        self.enrollment_code_edit.returnPressed.connect(self.enroll_button.click)
        enroll.addLayout(button_row(self.enroll_button))
        self.enroll_message = text_label("", role="hint")
        enroll.addWidget(self.enroll_message)
        left.addWidget(enroll_card)

        devices_card, devices = _card("Camera, microphone, speaker and voice")
        device_form = QFormLayout()
        self.camera_combo = _combo("Camera")
        self.microphone_combo = _combo("Microphone")
        self.speaker_combo = _combo("Speaker")
        self.voice_combo = _combo("Voice")
        device_form.addRow("Camera", self.camera_combo)
        device_form.addRow("Microphone", self.microphone_combo)
        device_form.addRow("Speaker", self.speaker_combo)
        device_form.addRow("Voice", self.voice_combo)
        devices.addLayout(device_form)
        self.test_camera_button = KioskButton("Test camera", secondary=True)
        self.test_microphone_button = KioskButton("Test microphone", secondary=True)
        self.test_speaker_button = KioskButton("Test speaker", secondary=True)
        self.save_devices_button = KioskButton("Save devices")
        self.test_camera_button.clicked.connect(
            lambda: self.test_camera_requested.emit(self.camera_combo.currentData())
        )
        self.test_microphone_button.clicked.connect(
            lambda: self.test_microphone_requested.emit(self.microphone_combo.currentData())
        )
        self.test_speaker_button.clicked.connect(
            lambda: self.test_speaker_requested.emit(
                self.speaker_combo.currentData(), self.voice_combo.currentData()
            )
        )
        self.save_devices_button.clicked.connect(
            lambda: self.save_devices_requested.emit(self.device_choices())
        )
        devices.addLayout(
            button_row(self.test_camera_button, self.test_microphone_button, self.test_speaker_button)
        )
        # Right under the buttons that cause it, above the preview: on a 768-pixel screen a message
        # at the end of this card was below the fold, so a failed test looked like no answer at all.
        self.devices_message = text_label("", role="hint")
        self.devices_message.setAccessibleName("Device test result")
        self.devices_message.hide()
        devices.addWidget(self.devices_message)
        self.preview = CameraPreview()
        self.preview.setMinimumSize(320, 180)
        self.preview.setMaximumHeight(200)
        devices.addWidget(self.preview)
        self.level_meter = LevelMeter()
        devices.addWidget(self.level_meter)
        devices.addLayout(button_row(self.save_devices_button))
        # The device card is the wider one: three test buttons side by side fit at 1366 pixels.
        columns.addLayout(left, stretch=2)
        columns.addWidget(devices_card, stretch=3)

        queue_card, queue = _card("Answers waiting to be sent")
        self.queue_summary = text_label("", role="hint")
        queue.addWidget(self.queue_summary)
        self.queue_list = QListWidget()
        self.queue_list.setAccessibleName("Answers waiting to be sent")
        self.queue_list.setMinimumHeight(80)
        self.queue_list.setWordWrap(True)
        self.queue_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        queue.addWidget(self.queue_list, stretch=1)
        self.problems_label = text_label("", role="problems")
        self.problems_label.setAccessibleName("Problems during recent interviews")
        self.problems_label.hide()
        queue.addWidget(self.problems_label)
        self.refresh_button = KioskButton("Refresh", secondary=True, accessible_name="Refresh the sync queue")
        self.refresh_button.clicked.connect(self.refresh_queue_requested)
        queue.addLayout(button_row(self.refresh_button))
        left.addWidget(queue_card, stretch=1)

        body = QWidget()
        body.setLayout(columns)
        self.scroller = scroller = QScrollArea()
        scroller.setWidget(body)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.page.addWidget(scroller, stretch=1)
        self.back_button = KioskButton(
            "Back to interviews", accessible_name="Leave setup; back to the interview screen"
        )
        self.exit_button = KioskButton(
            "Exit kiosk", secondary=True, accessible_name="Close the kiosk program"
        )
        self.back_button.clicked.connect(self.back_requested)
        self.exit_button.clicked.connect(self.exit_requested)
        self.page.addLayout(button_row(self.back_button, self.exit_button))

    def candidate_data_shown(self) -> bool:
        return False

    def focus_first(self) -> None:
        self.back_button.setFocus()

    @staticmethod
    def _fill(combo: QComboBox, choices: list[Choice], selected: str | None) -> None:
        combo.clear()
        for choice in choices:
            combo.addItem(choice.label, choice.value)
        index = combo.findData(selected)
        combo.setCurrentIndex(max(0, index))

    def show_devices(
        self,
        *,
        cameras: list[Choice],
        microphones: list[Choice],
        speakers: list[Choice],
        voices: list[Choice],
        selected: DeviceChoices,
    ) -> None:
        self._fill(self.camera_combo, cameras, selected.camera)
        self._fill(self.microphone_combo, microphones, selected.microphone)
        self._fill(self.speaker_combo, speakers, selected.speaker)
        self._fill(self.voice_combo, voices, selected.voice)

    def device_choices(self) -> DeviceChoices:
        return DeviceChoices(
            camera=self.camera_combo.currentData(),
            microphone=self.microphone_combo.currentData(),
            speaker=self.speaker_combo.currentData(),
            voice=self.voice_combo.currentData(),
        )

    def show_device_message(self, text: str, *, problem: bool = False) -> None:
        """A device list or test result, scrolled into view: staff just pressed the button above it."""
        self.devices_message.setObjectName("problems" if problem else "hint")
        self.devices_message.style().unpolish(self.devices_message)  # the style follows the new name
        self.devices_message.style().polish(self.devices_message)
        self.devices_message.setText(text)
        self.devices_message.setVisible(bool(text))
        if text:
            self.scroller.ensureWidgetVisible(self.devices_message)

    def reveal(self, widget: QWidget) -> None:
        """Scroll so that `widget` (the preview, the level meter) shows; the message above stays."""
        self.scroller.ensureWidgetVisible(widget, 0, 12)

    def show_enrollment(self, *, server_url: str | None, station_name: str | None) -> None:
        if server_url and station_name:
            self.enrolled_label.setText(f"Enrolled as “{station_name}” with {server_url}.")
        elif server_url:
            self.enrolled_label.setText(f"Server: {server_url}")
        else:
            self.enrolled_label.setText("This station is not enrolled yet.")
        self.server_url_edit.setText(server_url or "")

    def show_problems(self, problems: list[str]) -> None:
        self.problems_label.setText(
            "Problems during recent interviews:\n" + "\n".join(f"• {p}" for p in problems)
        )
        self.problems_label.setVisible(bool(problems))

    def show_queue(self, lines: list[str], summary: str) -> None:
        self.queue_list.clear()
        self.queue_list.addItems(lines or ["Nothing is waiting."])
        self.queue_summary.setText(summary)
