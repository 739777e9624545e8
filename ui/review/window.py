"""The review desk window: sign in, then a navigation list of screens fitted to the user's role."""

import platformdirs

from desktop_app.desk.api import DeskApi
from desktop_app.desk.media_cache import MediaCache
from desktop_app.desk.media_stream import MediaRelay
from sync_server.contract import CurrentUserInfo, Role
from ui.qt import (
    QAction,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    Qt,
    QWidget,
)
from ui.review.page import DeskPage
from ui.review.sign_in import SignInView


class DeskWindow(QMainWindow):
    """One window for HR and admins. `mode` picks the first screen after signing in."""

    def __init__(self, *, mode: str = "review", server_url: str = "", email: str = "") -> None:
        super().__init__()
        self.mode = mode
        self.setObjectName("desk")
        self.setWindowTitle(
            "Interview Station — review desk" if mode == "review" else "Interview Station — admin"
        )
        self.resize(1440, 900)
        self.api: DeskApi | None = None
        self.user: CurrentUserInfo | None = None
        self.relay: MediaRelay | None = None
        self.media_cache: MediaCache | None = None
        self.pages: dict[str, DeskPage] = {}

        self.stack = QStackedWidget()
        self.sign_in = SignInView(server_url=server_url, email=email)
        self.stack.addWidget(self.sign_in)
        self.setCentralWidget(self.stack)
        self.sign_in.signed_in.connect(self.enter)
        self.user_label = QLabel("")
        self.user_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()

    # --- menus ----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.sign_out_action = QAction("Sign out", self)
        self.sign_out_action.triggered.connect(lambda: self.sign_out())
        self.quit_action = QAction("Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.go_menu = bar.addMenu("&Go")
        self.admin_menu = bar.addMenu("&Admin")
        self._set_signed_in_menus(False)

    def _set_signed_in_menus(self, signed_in: bool) -> None:
        self.sign_out_action.setEnabled(signed_in)
        self.go_menu.menuAction().setVisible(signed_in)
        is_admin = signed_in and self.user is not None and self.user.role == Role.admin
        self.admin_menu.menuAction().setVisible(is_admin)

    # --- signing in and out ---------------------------------------------------------------------
    def enter(self, api: DeskApi, user: CurrentUserInfo) -> None:
        self.api, self.user = api, user
        api.client.on_signed_out = None  # pages report SignedOut themselves, on the GUI thread
        self.relay = MediaRelay(api.client)
        self.user_label.setText(
            f"{user.full_name or user.email} · {user.role.value} · {user.organization_name}"
        )
        self.workspace = self._build_workspace(api, user)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self._set_signed_in_menus(True)
        first = "users" if self.mode == "admin" and user.role == Role.admin else "pipeline"
        self.show_page(first)

    def _build_workspace(self, api: DeskApi, user: CurrentUserInfo) -> QWidget:
        from ui.admin.pages import admin_pages
        from ui.review.pages import review_pages

        assert self.relay is not None
        workspace = QWidget()
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("deskNav")
        self.nav.setAccessibleName("Screens")
        self.nav.setFixedWidth(200)
        self.page_stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.page_stack, 1)
        self.pages = {}
        self.go_menu.clear()
        self.admin_menu.clear()
        self.media_cache = MediaCache(
            platformdirs.user_cache_path("interview-station", appauthor=False) / "media", api.client
        )
        entries = [(key, page, False) for key, page in review_pages(api, self.relay, self.media_cache, self)]
        if user.role == Role.admin:
            entries += [(key, page, True) for key, page in admin_pages(api, self)]
        for key, page, admin in entries:
            self.pages[key] = page
            self.page_stack.addWidget(page)
            item = QListWidgetItem(page.title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            action = QAction(page.title, self)
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            (self.admin_menu if admin else self.go_menu).addAction(action)
            page.signed_out.connect(self.sign_out)
        self.nav.currentItemChanged.connect(
            lambda item, _prev: item is not None and self.show_page(item.data(Qt.ItemDataRole.UserRole))
        )
        return workspace

    def show_page(self, key: str) -> DeskPage:
        """Bring a screen forward and reload what it shows (people expect fresh data when they switch)."""
        page = self.pages[key]
        self.page_stack.setCurrentWidget(page)
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        page.refresh()
        return page

    def sign_out(self, message: str = "") -> None:
        """Back to the sign-in screen; the server forgets the refresh token (in the background)."""
        api, self.api = self.api, None
        if self.relay is not None:
            self.relay.close()
            self.relay = None
        for page in self.pages.values():
            page.deleteLater()
        self.pages = {}
        if hasattr(self, "workspace"):
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            del self.workspace
        self.user = None
        self.user_label.setText("")
        self._set_signed_in_menus(False)
        self.stack.setCurrentWidget(self.sign_in)
        self.sign_in.show_message(message)
        media_cache, self.media_cache = self.media_cache, None
        if media_cache is not None:
            media_cache.clear()  # recordings of candidates do not outlive the reviewer's session
        if api is not None:
            from ui.tasks import run_in_background

            run_in_background(api.sign_out)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.relay is not None:
            self.relay.close()
            self.relay = None
        if self.media_cache is not None:
            self.media_cache.clear()
            self.media_cache = None
        if self.api is not None:
            self.api.client.close()
        super().closeEvent(event)
