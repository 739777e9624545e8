"""A small, quiet line: is the station online, and how many answers wait to be sent. Never blocks anyone."""

from desktop_app.session.station import SyncStatus
from ui.kiosk.parts import text_label
from ui.qt import QLabel, Qt
from ui.tasks import gui_thread_only


def status_text(status: SyncStatus) -> str:
    if status.online is None:
        connection = "Not connected to a server"
    else:
        connection = "Online" if status.online else "Offline"
    parts = [connection]
    if status.saving:
        parts.append(f"{status.saving} answer{'s' if status.saving != 1 else ''} being saved")
    if status.waiting:
        parts.append(f"{status.waiting} answer{'s' if status.waiting != 1 else ''} waiting to be sent")
    if not status.saving and not status.waiting:
        parts.append("all answers sent")
    return " · ".join(parts)


class SyncStatusLabel(QLabel):
    def __init__(self) -> None:
        super().__init__()
        template = text_label(role="syncStatus", wrap=False)
        self.setObjectName(template.objectName())
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName("Sync status")
        self.status = SyncStatus(None, 0)
        self.show_status(self.status)

    @gui_thread_only
    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        dot = "●" if status.online else "○"
        self.setText(f"{dot} {status_text(status)}")
        self.setAccessibleDescription(status_text(status))
