"""The transcript beside the video: the word being spoken is highlighted; clicking a word seeks there."""

from bisect import bisect_right
from dataclasses import dataclass

from sync_server.contract import Transcript
from ui.qt import (
    QColor,
    QMouseEvent,
    Qt,
    QTextBrowser,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QWidget,
    Signal,
)


@dataclass(frozen=True)
class PlacedWord:
    start_ms: int
    end_ms: int
    first_char: int
    last_char: int  # exclusive


class TranscriptView(QTextBrowser):
    """Words laid out as plain text; the highlight is an extra selection, so long transcripts stay cheap."""

    seek_requested = Signal(int)  # milliseconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Transcript; click a word to play from there")
        self._words: list[PlacedWord] = []
        self._starts: list[int] = []
        self._chars: list[int] = []
        self.current_word = -1
        self._highlight = QTextCharFormat()
        self._highlight.setBackground(QColor("#f0b429"))
        self._highlight.setForeground(QColor("#102a43"))
        self.show_message("No transcript yet.")

    def show_message(self, text: str) -> None:
        self._words, self._starts, self._chars = [], [], []
        self.current_word = -1
        self.setExtraSelections([])
        self.setPlainText(text)

    def set_transcript(self, transcript: Transcript) -> None:
        text_parts: list[str] = []
        words: list[PlacedWord] = []
        length = 0
        for segment in transcript.segments:
            if not segment.words:  # a segment without word timing still reads and seeks as one block
                piece = segment.text.strip()
                if piece:
                    words.append(
                        PlacedWord(
                            int(segment.start * 1000), int(segment.end * 1000), length, length + len(piece)
                        )
                    )
                    text_parts.append(piece + " ")
                    length += len(piece) + 1
                continue
            for word in segment.words:
                piece = word.word.strip()
                if not piece:
                    continue
                words.append(
                    PlacedWord(int(word.start * 1000), int(word.end * 1000), length, length + len(piece))
                )
                text_parts.append(piece + " ")
                length += len(piece) + 1
            if text_parts:
                text_parts[-1] = text_parts[-1].rstrip() + "\n"
        if not words:
            self.show_message(transcript.text.strip() or "The candidate said nothing in this answer.")
            return
        self.setPlainText("".join(text_parts))
        self._words = words
        self._starts = [w.start_ms for w in words]
        self._chars = [w.first_char for w in words]
        self.current_word = -1
        self.setExtraSelections([])

    @property
    def word_count(self) -> int:
        return len(self._words)

    def word_text(self, index: int) -> str:
        placed = self._words[index]
        return self.toPlainText()[placed.first_char : placed.last_char]

    def set_position(self, ms: int) -> None:
        """Highlight the word being spoken at `ms` (the last word that started by then)."""
        index = bisect_right(self._starts, ms) - 1
        if index == self.current_word:
            return
        self.current_word = index
        if index < 0:
            self.setExtraSelections([])
            return
        placed = self._words[index]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(placed.first_char)
        cursor.setPosition(placed.last_char, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = self._highlight
        self.setExtraSelections([selection])
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def word_at_char(self, char: int) -> int:
        index = bisect_right(self._chars, char) - 1
        if index < 0 or char >= self._words[index].last_char:
            return -1
        return index

    def click_word(self, index: int) -> None:
        if 0 <= index < len(self._words):
            self.seek_requested.emit(self._words[index].start_ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        released_at = event.position().toPoint()
        pressed_at = getattr(self, "_pressed_at", released_at)
        if event.button() != Qt.MouseButton.LeftButton or (released_at - pressed_at).manhattanLength() > 4:
            return  # a drag selects text to copy; only a click seeks
        char = self.cursorForPosition(released_at).position()
        self.click_word(self.word_at_char(char))
