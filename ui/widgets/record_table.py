"""Long lists (jobs, candidates, audit entries) in a model/view table: smooth scrolling, sortable columns."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QWidget,
)

RowT = TypeVar("RowT")
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[RowT]):
    header: str
    value: Callable[[RowT], Any]
    align_right: bool = False

    def text(self, row: RowT) -> str:
        value = self.value(row)
        if value is None:
            return "—"
        if isinstance(value, float):
            return f"{value:.2f}".rstrip("0").rstrip(".")
        return str(value)


class RecordTableModel(QAbstractTableModel, Generic[RowT]):
    def __init__(self, columns: Sequence[Column[RowT]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def replace_row(self, index: int, row: RowT) -> None:
        self.rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.columns) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        getter = self.columns[column].value

        def key(row: RowT) -> tuple[int, Any]:
            value = getter(row)
            if value is None:
                return (1, "")  # empty values last whichever way
            return (0, value.lower() if isinstance(value, str) else value)

        self.layoutAboutToBeChanged.emit()
        present = [r for r in self.rows if getter(r) is not None]
        missing = [r for r in self.rows if getter(r) is None]
        present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = present + missing
        self.layoutChanged.emit()


class RecordTable(QTableView):
    """A read-only, row-selecting table over a RecordTableModel, scrolled per pixel."""

    def __init__(self, columns: Sequence[Column[Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: RecordTableModel[Any] = RecordTableModel(columns, self)
        self.setModel(self.records)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSortIndicator(
            -1, Qt.SortOrder.AscendingOrder
        )  # server order until a click
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(True)
        header.setResizeContentsPrecision(200)  # size columns from the first rows, not all 50,000

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.records.set_rows(rows)
        header = self.horizontalHeader()
        if header.sortIndicatorSection() >= 0 and header.sortIndicatorSection() < len(self.records.columns):
            self.records.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.resizeColumnsToContents()

    def selected(self) -> Any:
        rows = self.selectionModel().selectedRows()
        return self.records.rows[rows[0].row()] if rows else None

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for number, row in enumerate(self.records.rows):
            if predicate(row):
                self.selectRow(number)
                return True
        return False
