"""An inline error: one sentence (and the fix) with a Retry button, shown where the work failed."""

from collections.abc import Callable

from ui.qt import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.message = QLabel("")
        self.message.setObjectName("inlineError")
        self.message.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("secondary")
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button)
        self._retry: Callable[[], None] | None = None
        self.retry_button.clicked.connect(self._on_retry)
        self.hide()

    def show_sentence(self, sentence: str, retry: Callable[[], None] | None = None) -> None:
        self.message.setText(sentence)
        self._retry = retry
        self.retry_button.setVisible(retry is not None)
        self.show()

    def _on_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.hide()
        if retry is not None:
            retry()
