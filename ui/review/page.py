"""What every desk screen shares: a title, an inline error with Retry, and background calls to the server."""

from collections.abc import Callable
from typing import Any, TypeVar

from desktop_app.desk.api import DeskApi
from desktop_app.desk.errors import SignedOut
from ui.errors import explain
from ui.qt import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget, Signal
from ui.tasks import run_in_background
from ui.widgets.error_banner import ErrorBanner

T = TypeVar("T")


class DeskPage(QWidget):
    """A screen of the desk. `call(work, done)` runs `work(api)` off the GUI thread; failures show inline."""

    title = "Page"
    signed_out = Signal(str)  # the session ended while this page was working
    busy_changed = Signal(bool)

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self._pending = 0
        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(20, 16, 20, 16)
        self.page_layout.setSpacing(10)
        header = QHBoxLayout()
        self.heading = QLabel(self.title)
        self.heading.setObjectName("pageTitle")
        header.addWidget(self.heading)
        header.addStretch(1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        header.addWidget(self.busy)
        self.header_layout = header
        self.page_layout.addLayout(header)
        self.error_banner = ErrorBanner()
        self.page_layout.addWidget(self.error_banner)

    def refresh(self) -> None:
        """Reload what the page shows (called when the page is opened)."""

    @property
    def working(self) -> bool:
        return self._pending > 0

    def call(
        self,
        work: Callable[[DeskApi], T],
        done: Callable[[T], None],
        *,
        retry: Callable[[], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `work(api)` in the background; `done(result)` on the GUI thread; errors become the banner."""
        self._set_pending(+1)
        api = self.api

        def on_success(result: Any) -> None:
            self._set_pending(-1)
            self.error_banner.hide()
            done(result)

        def on_failure(error: Exception) -> None:
            self._set_pending(-1)
            if isinstance(error, SignedOut):
                self.signed_out.emit(explain(error).text)
                return
            if failed is not None:
                failed(error)
                return
            self.show_error(error, retry)

        run_in_background(lambda: work(api), on_success=on_success, on_failure=on_failure, owner=self)

    def show_error(self, error: BaseException, retry: Callable[[], None] | None = None) -> None:
        self.error_banner.show_sentence(explain(error).text, retry)

    def _set_pending(self, delta: int) -> None:
        self._pending = max(0, self._pending + delta)
        self.busy.setVisible(self._pending > 0)
        self.busy_changed.emit(self._pending > 0)
