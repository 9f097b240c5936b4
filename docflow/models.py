"""Plain values that flow between the layers: what was read, what is wrong, what was decided."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any


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
    values: dict[str, RawValue]


@dataclass(frozen=True)
class Submission:
    """Everything read from one received file, untyped; validation turns it into a Record."""

    kind: str
    unit_folder: str
    file_name: str
    fields: dict[str, RawValue]
    tables: dict[str, list[RawRow]]
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
