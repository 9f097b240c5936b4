"""Plain values that flow between the layers: what was read, what is wrong, what was decided."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Iterator, Mapping, Sequence


_A1 = re.compile(r"[A-Z]{1,3}[0-9]{1,7}")


class Status(StrEnum):
    """Where a received file stands in the ledger; each ends in exactly one final status."""

    PROCESSING = "processing"   # claimed, being worked on (or interrupted: resumed at start)
    ACCEPTED = "accepted"       # valid: its record is current, its receipt delivered
    REJECTED = "rejected"       # the sender got an error report
    DUPLICATE = "duplicate"     # the same bytes as an earlier answered file
    FAILED = "failed"           # not the sender's fault: retried, the administrator told
    WAITING = "waiting"         # valid, waiting for the PDF attachments it names
    ATTACHMENT = "attachment"   # a PDF kept for the forms that name it
    SUPERSEDED = "superseded"   # an older version that came after a newer one was accepted
    NESTED = "nested"           # in a subfolder of a unit's folder: answered, left in place

    @property
    def final(self) -> bool:
        """True once the file has had its answer."""
        return self in FINAL


FINAL = frozenset({Status.ACCEPTED, Status.REJECTED, Status.DUPLICATE, Status.ATTACHMENT,
                   Status.SUPERSEDED})


class Severity(str, Enum):
    """How serious a problem is: an error blocks the submission, a warning does not."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One rule violation, located precisely enough for a clerk to fix it in one pass."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    sheet: str = ""
    cell: str = ""
    label: str = ""
    found: str = ""
    expected: str = ""
    row: int = 0

    @property
    def location(self) -> str:
        """`Danh sách!H7` in a workbook, `Kết quả, Bảng 2, dòng 3, cột 4` in a Word form."""
        if self.sheet and self.cell:
            sep = "!" if _A1.fullmatch(self.cell) else ", "
            return f"{self.sheet}{sep}{self.cell}"
        return self.sheet

    @property
    def is_error(self) -> bool:
        """True when this problem blocks acceptance."""
        return self.severity is Severity.ERROR


@dataclass(frozen=True, slots=True)
class RawValue:
    """A cell as read from a form, before any typing: where it was and what it held."""

    value: Any
    sheet: str
    cell: str
    row: int = 0
    number_format: str = ""

    def display(self) -> str:
        """The value as the clerk typed it, for messages (cut short when very long)."""
        if self.value is None:
            return ""
        if hasattr(self.value, "strftime"):
            return self.value.strftime("%d/%m/%Y")
        text = str(self.value)
        return text if len(text) <= 200 else text[:200] + "…"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row of a table sheet, keyed by field key."""

    sheet: str
    row: int
    values: Mapping[str, RawValue]


class Table(Sequence[RawRow]):
    """A table sheet's data rows kept by column: one list of values per field key, the rows'
    numbers and each column's letter. A 50,000-row list then costs a few lists, not 750,000
    RawValue objects; each row (and cell) is made on demand and reads exactly as a RawRow of
    RawValues does."""

    def __init__(self, sheet: str, letters: dict[str, str]) -> None:
        self.sheet, self.letters = sheet, letters
        self.numbers: list[int] = []
        self.columns: dict[str, list[Any]] = {key: [] for key in letters}
        self._index: dict[int, int] | None = None

    def append(self, number: int, values: Sequence[Any]) -> None:
        """Add one row: its sheet row number and its values in the order of `letters`."""
        self.numbers.append(number)
        for column, value in zip(self.columns.values(), values):
            column.append(value)
        self._index = None

    def cell(self, key: str, i: int) -> RawValue:
        """The i-th row's value of a column, as a RawValue that knows its cell."""
        row = self.numbers[i]
        return RawValue(self.columns[key][i], self.sheet, f"{self.letters[key]}{row}", row)

    def by_number(self) -> Mapping[int, RawRow]:
        """The rows by their sheet row number, each made when looked up."""
        if self._index is None:
            self._index = {n: i for i, n in enumerate(self.numbers)}
        return _Rows(self, self._index)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        return RawRow(self.sheet, self.numbers[i], _Cells(self, i))

    def __iter__(self) -> Iterator[RawRow]:
        return (RawRow(self.sheet, n, _Cells(self, i)) for i, n in enumerate(self.numbers))


class _Rows(Mapping[int, RawRow]):
    __slots__ = ("_table", "_index")

    def __init__(self, table: Table, index: dict[int, int]) -> None:
        self._table, self._index = table, index

    def __getitem__(self, number: int) -> RawRow:
        return self._table[self._index[number]]

    def __contains__(self, number: object) -> bool:
        return number in self._index

    def __iter__(self) -> Iterator[int]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def rows_by_number(rows: Sequence[RawRow]) -> Mapping[int, RawRow]:
    """A table's rows by sheet row number (a Table's made on demand)."""
    return rows.by_number() if isinstance(rows, Table) else {r.row: r for r in rows}


class _Cells(Mapping[str, RawValue]):
    """One row of a Table as the mapping key → RawValue that RawRow.values is."""

    __slots__ = ("_table", "_i")

    def __init__(self, table: Table, i: int) -> None:
        self._table, self._i = table, i

    def __getitem__(self, key: str) -> RawValue:
        if key not in self._table.columns:
            raise KeyError(key)
        return self._table.cell(key, self._i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.columns)

    def __len__(self) -> int:
        return len(self._table.columns)


@dataclass(frozen=True)
class Submission:
    """Everything read from one received file, untyped; validation turns it into a Record."""

    kind: str
    unit_folder: str
    file_name: str
    fields: dict[str, RawValue]
    tables: dict[str, Sequence[RawRow]]   # a Table for workbooks
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    date1904: bool = False
    sheets_found: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """A validated submission: typed values only, ready to store and render."""

    kind: str
    unit: str
    period: str
    fields: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Validation:
    """The outcome of validation: the typed record (even when rejected) and every problem."""

    record: Record
    problems: tuple[Problem, ...]

    @property
    def accepted(self) -> bool:
        """True when no problem is an error."""
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """Only the blocking problems."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Only the non-blocking problems."""
        return [p for p in self.problems if not p.is_error]
