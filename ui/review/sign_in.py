"""Sign in to the review desk: server address, email, password."""

from desktop_app.desk.api import DeskApi
from desktop_app.desk.errors import SignedOut
from sync_server.contract import CurrentUserInfo
from ui.errors import explain
from ui.qt import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, Signal
from ui.tasks import run_in_background


class SignInView(QWidget):
    signed_in = Signal(object, object)  # DeskApi, CurrentUserInfo

    def __init__(self, *, server_url: str = "", email: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(520)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(12)
        title = QLabel("Interview Station review desk")
        title.setObjectName("title")
        title.setWordWrap(True)
        lead = QLabel("Sign in with the account your administrator gave you.")
        lead.setObjectName("subtitle")
        lead.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(lead)
        form = QFormLayout()
        self.server = QLineEdit(server_url)
        card.setMinimumWidth(460)
        self.server.setPlaceholderText("https://interviews.example.org")
        self.email = QLineEdit(email)
        self.email.setPlaceholderText("you@example.org")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Server", self.server)
        form.addRow("Email", self.email)
        form.addRow("Password", self.password)
        layout.addLayout(form)
        self.error_label = QLabel("")
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setDefault(True)
        layout.addWidget(self.sign_in_button, alignment=Qt.AlignmentFlag.AlignRight)
        outer.addWidget(card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.sign_in_button.clicked.connect(self.submit)
        for field in (self.server, self.email, self.password):
            field.returnPressed.connect(self.submit)
        (self.password if server_url and email else self.server if not server_url else self.email).setFocus()

    def show_message(self, text: str) -> None:
        self.error_label.setText(text)

    def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        server, email, password = self.server.text(), self.email.text(), self.password.text()
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setText("Signing in…")
        self.error_label.setText("")
        run_in_background(
            lambda: DeskApi.sign_in(server, email, password),
            on_success=self._succeeded,
            on_failure=self._failed,
            owner=self,
        )

    def _succeeded(self, result: tuple[DeskApi, CurrentUserInfo]) -> None:
        self._reset_button()
        self.password.clear()
        self.signed_in.emit(*result)

    def _failed(self, error: Exception) -> None:
        self._reset_button()
        explanation = explain(error)
        # "Sign in again" is what the form is for; the sentence alone says what went wrong.
        self.error_label.setText(explanation.message if isinstance(error, SignedOut) else explanation.text)
        self.password.selectAll()
        self.password.setFocus()

    def _reset_button(self) -> None:
        self.sign_in_button.setEnabled(True)
        self.sign_in_button.setText("Sign in")
