"""Admin screens: users (invite HR, deactivate), stations (enrollment codes, revoke, last seen),
organization settings (retention, consent text) and the audit log."""

import json
import secrets
from datetime import UTC, datetime

from desktop_app.desk.api import DeskApi
from sync_server.contract import (
    AuditEntryOut,
    EnrollmentCodeCreate,
    EnrollmentCodeCreated,
    OrganizationOut,
    OrganizationSettings,
    OrganizationUpdate,
    Role,
    StationOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.review.page import DeskPage
from ui.widgets.dialog_parts import inline_error_label
from ui.widgets.record_table import Column, RecordTable


def ago(moment: datetime | None) -> str | None:
    """'3 min ago' style, for last-seen columns."""
    if moment is None:
        return None
    seconds = (datetime.now(UTC) - (moment if moment.tzinfo else moment.replace(tzinfo=UTC))).total_seconds()
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h ago"
    return f"{moment:%Y-%m-%d}"


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    heading = QLabel(title)
    heading.setObjectName("sectionTitle")
    layout.addWidget(heading)
    return card, layout


class UsersPage(DeskPage):
    title = "Users"

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = RecordTable(
            [
                Column("Email", lambda u: u.email),
                Column("Name", lambda u: u.full_name or None),
                Column("Role", lambda u: u.role.value),
                Column("Active", lambda u: "yes" if u.is_active else "deactivated"),
                Column("Last sign-in", lambda u: ago(u.last_login_at)),
            ]
        )
        splitter.addWidget(self.table)
        card, layout = _card("Add a user")
        form = QFormLayout()
        self.email = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItem("HR reviewer", Role.hr)
        self.role.addItem("Administrator", Role.admin)
        self.password = QLineEdit()
        self.password.setPlaceholderText("at least 8 characters; share it privately")
        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("secondary")
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.generate_button)
        form.addRow("Email", self.email)
        form.addRow("Name", self.full_name)
        form.addRow("Role", self.role)
        form.addRow("Starting password", password_row)
        layout.addLayout(form)
        self.form_error = inline_error_label()
        layout.addWidget(self.form_error)
        self.add_button = QPushButton("Add user")
        layout.addWidget(self.add_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.deactivate_button = QPushButton("Deactivate selected user")
        self.deactivate_button.setObjectName("secondary")
        self.deactivate_button.setEnabled(False)
        layout.addWidget(self.deactivate_button)
        splitter.addWidget(card)
        splitter.setSizes([700, 380])
        self.page_layout.addWidget(splitter, 1)
        self.generate_button.clicked.connect(lambda: self.password.setText(secrets.token_urlsafe(12)))
        self.add_button.clicked.connect(self.add_user)
        self.deactivate_button.clicked.connect(self.toggle_active)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def refresh(self) -> None:
        self.call(lambda api: api.users(), self.table.set_rows, retry=self.refresh)

    def _selection_changed(self) -> None:
        user = self.table.selected()
        self.deactivate_button.setEnabled(user is not None)
        if user is not None:
            self.deactivate_button.setText(
                "Deactivate selected user" if user.is_active else "Reactivate selected user"
            )

    def add_user(self) -> None:
        try:
            request = UserCreate(
                email=self.email.text().strip(),
                full_name=self.full_name.text().strip(),
                role=self.role.currentData(),
                password=self.password.text(),
            )
        except ValueError:
            self.form_error.setText("Enter an email and a starting password of at least 8 characters.")
            return
        self.form_error.setText("")

        def failed(error: BaseException) -> None:
            from ui.errors import explain

            self.form_error.setText(explain(error).text)

        self.call(lambda api: api.create_user(request), self._added, failed=failed)

    def _added(self, user: UserOut) -> None:
        for field in (self.email, self.full_name, self.password):
            field.clear()
        self.form_error.setText(f"{user.email} can now sign in with the starting password.")
        self.refresh()

    def toggle_active(self) -> None:
        user = self.table.selected()
        if user is None:
            return
        change = UserUpdate(is_active=not user.is_active)
        self.call(
            lambda api: api.update_user(user.id, change), lambda _: self.refresh(), retry=self.toggle_active
        )


class StationsPage(DeskPage):
    title = "Stations"

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = RecordTable(
            [
                Column("Station", lambda s: s.name),
                Column("Last seen", lambda s: ago(s.last_seen_at) or "never"),
                # As of the station's last heartbeat; "—" until it has said.
                Column("Answers waiting", lambda s: s.pending_uploads, align_right=True),
                Column("Version", lambda s: s.app_version),
                Column("State", lambda s: "revoked" if s.revoked_at else "active"),
                Column("Enrolled", lambda s: f"{s.created_at:%Y-%m-%d}"),
            ]
        )
        splitter.addWidget(self.table)
        card, layout = _card("Enroll a station")
        form = QFormLayout()
        self.station_name = QLineEdit()
        self.station_name.setPlaceholderText("e.g. Reception kiosk 2")
        self.expires = QSpinBox()
        self.expires.setRange(5, 7 * 24 * 60)
        self.expires.setValue(60)
        self.expires.setSuffix(" minutes")
        form.addRow("Station name", self.station_name)
        form.addRow("Code valid for", self.expires)
        layout.addLayout(form)
        self.code_button = QPushButton("Create enrollment code")
        layout.addWidget(self.code_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.code_label = QLabel("")
        self.code_label.setObjectName("accessCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_hint = QLabel("")
        self.code_hint.setObjectName("muted")
        self.code_hint.setWordWrap(True)
        self.copy_button = QPushButton("Copy code")
        self.copy_button.setObjectName("secondary")
        self.copy_button.hide()
        self.code_label.hide()
        layout.addWidget(self.code_label)
        layout.addWidget(self.code_hint)
        layout.addWidget(self.copy_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.form_error = inline_error_label()
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        self.revoke_button = QPushButton("Revoke selected station")
        self.revoke_button.setObjectName("danger")
        self.revoke_button.setEnabled(False)
        layout.addWidget(self.revoke_button)
        splitter.addWidget(card)
        splitter.setSizes([700, 380])
        self.page_layout.addWidget(splitter, 1)
        self.code: EnrollmentCodeCreated | None = None
        self.code_button.clicked.connect(self.create_code)
        self.copy_button.clicked.connect(self.copy_code)
        self.revoke_button.clicked.connect(self.revoke)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.revoke_button.setEnabled(
                self.table.selected() is not None and self.table.selected().revoked_at is None
            )
        )

    def refresh(self) -> None:
        self.call(lambda api: api.stations(), self.table.set_rows, retry=self.refresh)

    def create_code(self) -> None:
        name = self.station_name.text().strip()
        if not name:
            self.form_error.setText("Give the station a name people will recognise.")
            return
        self.form_error.setText("")
        request = EnrollmentCodeCreate(station_name=name, expires_in_minutes=self.expires.value())
        self.call(lambda api: api.enrollment_code(request), self._show_code, retry=self.create_code)

    def _show_code(self, code: EnrollmentCodeCreated) -> None:
        self.code = code
        self.code_label.setText(code.enrollment_code)
        self.code_label.show()
        self.code_hint.setText(
            f"On “{code.station_name}”, run: interview-station enroll and type this code. It works once, "
            f"until {code.expires_at:%H:%M} UTC, and is shown only now."
        )
        self.copy_button.show()
        self.station_name.clear()

    def copy_code(self) -> None:
        if self.code is not None:
            QGuiApplication.clipboard().setText(self.code.enrollment_code)
            self.copy_button.setText("Copied")

    def revoke(self) -> None:
        station: StationOut | None = self.table.selected()
        if station is None:
            return
        self.call(lambda api: api.revoke_station(station.id), lambda _: self.refresh(), retry=self.revoke)


class SettingsPage(DeskPage):
    title = "Settings"

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.organization: OrganizationOut | None = None
        card, layout = _card("Organization")
        form = QFormLayout()
        self.name = QLineEdit()
        self.retention_on = QCheckBox("Erase candidates (recordings, CV, data)")
        self.retention_days = QSpinBox()
        self.retention_days.setRange(1, 3650)
        self.retention_days.setValue(180)
        self.retention_days.setSuffix(" days")
        retention = QHBoxLayout()
        retention.addWidget(self.retention_on)
        retention.addWidget(self.retention_days)
        retention.addWidget(QLabel("after their interviews ended"))
        retention.addStretch(1)
        self.consent_version = QLineEdit()
        self.consent_version.setPlaceholderText("e.g. 2026-11")
        self.consent_text = QPlainTextEdit()
        self.consent_text.setPlaceholderText("Leave empty to use the standard consent text.")
        self.accent = QLineEdit()
        self.accent.setPlaceholderText("#2f6f9f")
        form.addRow("Name", self.name)
        form.addRow("Retention", retention)
        form.addRow("Consent version", self.consent_version)
        form.addRow("Consent text", self.consent_text)
        form.addRow("Brand colour", self.accent)
        layout.addLayout(form)
        self.form_error = inline_error_label()
        layout.addWidget(self.form_error)
        self.save_button = QPushButton("Save settings")
        layout.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.page_layout.addWidget(card, 1)
        self.retention_on.toggled.connect(self.retention_days.setEnabled)
        self.save_button.clicked.connect(self.save)

    def refresh(self) -> None:
        self.call(lambda api: api.organization(), self._show, retry=self.refresh)

    def _show(self, organization: OrganizationOut) -> None:
        self.organization = organization
        settings = organization.settings
        self.name.setText(organization.name)
        self.retention_on.setChecked(settings.retention_days is not None)
        self.retention_days.setEnabled(settings.retention_days is not None)
        self.retention_days.setValue(settings.retention_days or 180)
        self.consent_version.setText(settings.consent_version or "")
        self.consent_text.setPlainText(settings.consent_text or "")
        self.accent.setText(settings.colors.get("accent", ""))

    def save(self) -> None:
        if self.organization is None:
            return
        consent = self.consent_text.toPlainText().strip()
        version = self.consent_version.text().strip()
        if consent and not version:
            self.form_error.setText(
                "Give the consent text a version, so each candidate's consent names what they read."
            )
            return
        colors = dict(self.organization.settings.colors)
        accent = self.accent.text().strip()
        if accent:
            colors["accent"] = accent
        else:
            colors.pop("accent", None)
        try:
            settings = self.organization.settings.model_copy(
                update={
                    "retention_days": self.retention_days.value() if self.retention_on.isChecked() else None,
                    "consent_version": version or None,
                    "consent_text": consent or None,
                    "colors": colors,
                }
            )
            change = OrganizationUpdate(
                name=self.name.text().strip() or None,
                settings=OrganizationSettings.model_validate(settings.model_dump()),
            )
        except ValueError:
            self.form_error.setText(
                "Some settings are not valid; check the name and the consent text length."
            )
            return
        self.form_error.setText("")

        def failed(error: BaseException) -> None:
            from ui.errors import explain

            self.form_error.setText(explain(error).text)

        self.call(lambda api: api.update_organization(change), self._saved, failed=failed)

    def _saved(self, organization: OrganizationOut) -> None:
        self._show(organization)
        self.form_error.setText("Saved.")


class AuditLogPage(DeskPage):
    title = "Audit log"

    def __init__(self, api: DeskApi, parent: QWidget | None = None) -> None:
        super().__init__(api, parent)
        self.user_emails: dict[str, str] = {}
        self.action_filter = QLineEdit()
        self.action_filter.setPlaceholderText("Filter by action, e.g. invite.create")
        self.header_layout.addWidget(self.action_filter)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = RecordTable(
            [
                Column("When", lambda e: f"{e.created_at:%Y-%m-%d %H:%M:%S}"),
                Column("Who", self._who),
                Column("Action", lambda e: e.action),
                Column(
                    "Record", lambda e: f"{e.target_type} {e.target_id[:8] if e.target_id else ''}".strip()
                ),
                Column("From", lambda e: e.ip_address),
            ]
        )
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an entry to see its details.")
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([560, 160])
        self.page_layout.addWidget(splitter, 1)
        self.action_filter.returnPressed.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())

    def _who(self, entry: AuditEntryOut) -> str:
        if entry.actor_type == "user" and entry.actor_id in self.user_emails:
            return self.user_emails[entry.actor_id]
        return f"{entry.actor_type} {entry.actor_id[:8] if entry.actor_id else ''}".strip()

    def refresh(self) -> None:
        action = self.action_filter.text().strip() or None
        self.call(
            lambda api: (api.audit_log(action=action), {u.id: u.email for u in api.users()}),
            self._show,
            retry=self.refresh,
        )

    def _show(self, result: tuple[list[AuditEntryOut], dict[str, str]]) -> None:
        entries, self.user_emails = result
        self.table.set_rows(entries)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    def _show_details(self) -> None:
        entry = self.table.selected()
        if entry is not None:
            self.details.setPlainText(json.dumps(entry.model_dump(mode="json"), indent=2))


def admin_pages(api: DeskApi, parent: QWidget) -> list[tuple[str, DeskPage]]:
    return [
        ("users", UsersPage(api, parent)),
        ("stations", StationsPage(api, parent)),
        ("settings", SettingsPage(api, parent)),
        ("audit", AuditLogPage(api, parent)),
    ]
