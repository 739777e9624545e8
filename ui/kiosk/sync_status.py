"""A small, quiet line: is the station online, and how many answers wait to be sent. Never blocks anyone."""

from dataclasses import dataclass

from ui.kiosk.parts import text_label
from ui.qt import QLabel, Qt
from ui.tasks import gui_thread_only


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not known yet (or the station is not enrolled)
    waiting: int


def status_text(status: SyncStatus) -> str:
    if status.online is None:
        connection = "Not connected to a server"
    else:
        connection = "Online" if status.online else "Offline"
    if status.waiting == 0:
        return f"{connection} · all answers sent"
    return f"{connection} · {status.waiting} answer{'s' if status.waiting != 1 else ''} waiting to be sent"


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
