"""The screen a station shows while nobody uses it."""

from ui.kiosk.parts import KioskButton, KioskScreen, OnOffButton, button_row, text_label
from ui.qt import QLabel, QResizeEvent, Qt, Signal
from ui.style import logo_pixmap


class AttractScreen(KioskScreen):
    start_requested = Signal()
    high_contrast_toggled = Signal(bool)
    large_text_toggled = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.page.addStretch(2)
        self._logo_url: str | None = None
        self.logo = QLabel()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setAccessibleName("Logo")
        self.page.addWidget(self.logo)
        self.title = text_label("Welcome", role="kioskTitle", centre=True)
        self.page.addWidget(self.title)
        self.lead = text_label(
            "At this station you answer a few interview questions on video. "
            "Please have the access code from your invitation ready.",
            role="kioskLead",
            centre=True,
        )
        self.page.addWidget(self.lead)
        self.start_button = KioskButton("Start", accessible_name="Start the interview")
        self.start_button.clicked.connect(self.start_requested)
        self.page.addSpacing(16)
        self.page.addLayout(button_row(self.start_button, centre=True))
        self.page.addWidget(
            text_label("Press Enter to start. Tab moves between buttons.", role="hint", centre=True)
        )
        self.page.addStretch(3)
        self.contrast_button = OnOffButton("High contrast", accessible_name="High contrast display")
        self.contrast_button.toggled.connect(self.high_contrast_toggled)
        self.large_text_button = OnOffButton("Larger text", accessible_name="Larger text")
        self.large_text_button.toggled.connect(self.large_text_toggled)
        self.page.addLayout(button_row(self.contrast_button, self.large_text_button, centre=True))
        self.page.addWidget(text_label("Need help? Please ask a member of staff.", role="hint", centre=True))
        self.show_branding("Interview Station", None)

    def show_branding(self, organization_name: str, logo_url: str | None) -> None:
        self._logo_url = logo_url
        self._show_logo(reload=True)
        self.title.setText(f"Welcome to {organization_name}" if organization_name else "Welcome")

    def _show_logo(self, *, reload: bool = False) -> None:
        # a short screen (1366x768, larger text) needs the height for the words and the buttons
        height = max(64, min(140, self.height() // 7)) if self.height() > 0 else 140
        if reload or self.logo.pixmap().isNull() or self.logo.pixmap().height() != height:
            self.logo.setPixmap(logo_pixmap(self._logo_url, height=height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_logo()

    def focus_first(self) -> None:
        self.start_button.setFocus()

    def candidate_data_shown(self) -> bool:
        return False
