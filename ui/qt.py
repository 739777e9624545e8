"""The one door to PySide6: every Qt name the app uses is imported here and re-exported."""

from PySide6.QtCore import (
    QObject,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAction",
    "QApplication",
    "QFont",
    "QFrame",
    "QHBoxLayout",
    "QIcon",
    "QKeySequence",
    "QLabel",
    "QMainWindow",
    "QObject",
    "QPixmap",
    "QPushButton",
    "QSize",
    "QSizePolicy",
    "QStatusBar",
    "QThreadPool",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
]
