"""All the kiosk's screens in one window, plus the staff PIN dialog. Views only: no flow logic here."""

from desktop_app.staff_pin import StaffPinGuard
from ui.kiosk.access_code import AccessCodeScreen
from ui.kiosk.attract import AttractScreen
from ui.kiosk.consent import ConsentScreen
from ui.kiosk.device_check import DeviceCheckScreen
from ui.kiosk.farewell import FarewellScreen
from ui.kiosk.question import QuestionScreen
from ui.kiosk.setup import StationSetupScreen
from ui.kiosk.staff import PinDialog
from ui.kiosk.welcome_back import WelcomeBackScreen
from ui.kiosk.window import KioskWindow


class KioskScreens:
    """The window and one instance of every screen."""

    def __init__(self, *, locked_down: bool = True, pin_guard: StaffPinGuard | None = None) -> None:
        self.window = KioskWindow(locked_down=locked_down)
        self.attract = AttractScreen()
        self.access_code = AccessCodeScreen()
        self.consent = ConsentScreen()
        self.device_check = DeviceCheckScreen()
        self.question = QuestionScreen()
        self.welcome_back = WelcomeBackScreen()
        self.farewell = FarewellScreen()
        self.setup = StationSetupScreen()
        for screen in (
            self.attract,
            self.access_code,
            self.consent,
            self.device_check,
            self.question,
            self.welcome_back,
            self.farewell,
            self.setup,
        ):
            self.window.add_screen(screen)
        self.pin_guard = pin_guard
        self.pin_dialog: PinDialog | None = None
        self.window.show_screen(self.attract)

    def open_pin_dialog(self) -> PinDialog:
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            return self.pin_dialog
        if self.pin_guard is None:
            from desktop_app.config import get_settings
            from desktop_app.staff_pin import StaffPinGuard as Guard
            from desktop_app.store.database import open_station_db

            settings = get_settings()
            self.pin_guard = Guard(open_station_db(settings.data_dir / "station.db"), settings.staff_pin_hash)
        self.pin_dialog = PinDialog(self.pin_guard, self.window)
        self.pin_dialog.open()
        return self.pin_dialog

    def close_pin_dialog(self) -> None:
        if self.pin_dialog is not None:
            self.pin_dialog.reject()
            self.pin_dialog = None

    def show_setup(self) -> None:
        self.window.show_screen(self.setup)

    def shutdown(self) -> None:
        self.window.staff_gesture.shutdown()
        self.farewell.stop()
        self.question.playback.stop()
