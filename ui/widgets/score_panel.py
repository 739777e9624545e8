"""The AI score for one answer: overall, each criterion with its quoted evidence (click to seek), feedback."""

from html import escape

from desktop_app.desk.export import timestamp
from desktop_app.desk.views import ScoreView
from ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


class EvidenceQuote(QLabel):
    """A quoted span of the transcript; clicking it (or pressing Enter on it) plays the answer from there."""

    clicked = Signal(int)  # milliseconds

    def __init__(self, quote: str, start_seconds: float | None, criterion: str) -> None:
        self.start_ms = None if start_seconds is None else int(start_seconds * 1000)
        at = (
            f" <span style='color:#52606d'>at {timestamp(start_seconds)}</span>"
            if start_seconds is not None
            else ""
        )
        super().__init__(f"<i>“{escape(quote)}”</i>{at}")
        self.setObjectName("evidenceQuote")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Evidence for {criterion}: play from here")
        if self.start_ms is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip("Play the answer from this quote")

    def click(self) -> None:
        if self.start_ms is not None:
            self.clicked.emit(self.start_ms)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.click()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.click()
            return
        super().keyPressEvent(event)


PEOPLE_ONLY_TEXT = "The candidate asked to be evaluated by people only — no AI score."
RESCORE_TIP = "Adds a new version of the score; the old one is kept"


class ScorePanel(QFrame):
    seek_requested = Signal(int)  # milliseconds
    rescore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self.headline = QLabel()
        self.headline.setObjectName("scoreHeadline")
        self.source = QLabel()
        self.source.setObjectName("muted")
        self.rescore_button = QPushButton("Score again")
        self.rescore_button.setObjectName("secondary")
        self.rescore_button.setToolTip(RESCORE_TIP)
        self.rescore_button.clicked.connect(self.rescore_requested)
        self.rescore_button.hide()
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.rescore_button)
        self._layout.addLayout(top)
        self._layout.addWidget(self.source)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 6, 0, 6)
        self._layout.addWidget(self._grid_host)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.headline.setWordWrap(True)
        self.source.setWordWrap(True)
        self._layout.addWidget(self.feedback)
        self._layout.addStretch(1)
        self.evidence_buttons: list[EvidenceQuote] = []
        self.show_score(None)

    def show_people_only(self) -> None:
        """No AI looks at this interview: say so instead of an empty score, and offer no re-scoring."""
        self.show_score(None, pending_text=PEOPLE_ONLY_TEXT)
        self.allow_rescore(False)

    def allow_rescore(self, allowed: bool) -> None:
        self.rescore_button.setEnabled(allowed)
        self.rescore_button.setToolTip(RESCORE_TIP if allowed else PEOPLE_ONLY_TEXT)

    def show_score(self, score: ScoreView | None, *, pending_text: str = "Not scored yet.") -> None:
        self._clear_grid()
        self._grid_host.setVisible(score is not None and bool(score.criteria))
        if score is None:
            self.headline.setText(pending_text)
            self.source.setText("")
            self.feedback.setText("")
            return
        if not score.scored:
            self.headline.setText("Not enough to score")
            self.feedback.setText(score.reason)
        else:
            overall = "—" if score.overall is None else f"{score.overall:.1f}"
            self.headline.setText(f"AI score {overall} / 5")
            self.feedback.setText(f"Feedback: {score.feedback}" if score.feedback else "")
        version = f" · version {score.version}" if score.version > 1 else ""
        self.source.setText(f"Scored by {score.provider} ({score.model}){version}" if score.provider else "")
        for row, criterion in enumerate(score.criteria):
            name = QLabel(f"<b>{criterion.label}</b>")
            value = QLabel("—" if criterion.score is None else f"{criterion.score:g} / 5")
            value.setObjectName("criterionScore")
            self._grid.addWidget(name, row * 2, 0)
            self._grid.addWidget(value, row * 2, 1)
            detail = QWidget()
            detail_layout = QVBoxLayout(detail)
            detail_layout.setContentsMargins(12, 0, 0, 8)
            if criterion.quote:
                quote = EvidenceQuote(criterion.quote, criterion.start_seconds, criterion.label)
                quote.clicked.connect(self.seek_requested)
                self.evidence_buttons.append(quote)
                detail_layout.addWidget(quote)
            if criterion.reason:
                reason = QLabel(criterion.reason)
                reason.setObjectName("muted")
                reason.setWordWrap(True)
                detail_layout.addWidget(reason)
            self._grid.addWidget(detail, row * 2 + 1, 0, 1, 2)

    def _clear_grid(self) -> None:
        self.evidence_buttons = []
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
