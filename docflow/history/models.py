"""What the register knows of one person or collective, as plain values for validation and print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docflow.text import fold


@dataclass(frozen=True)
class Entry:
    """One title or award received: for which year, by which decision, where the person worked."""

    year: int
    title: str
    decision_number: str
    decision_date: dt.date | None
    unit: str
    workplace: str = ""
    decided_by: str = ""
    written: str = ""  # the name as the source wrote it (Thủy / Thuỷ), never rewritten


@dataclass(frozen=True)
class PersonHistory:
    """A person (or collective) of the register with every entry and yearly rating."""

    person_id: int
    name: str
    born: dt.date | None
    collective: bool
    entries: tuple[Entry, ...] = ()
    ratings: dict[int, str] = field(default_factory=dict)

    def years_with(self, titles: tuple[str, ...]) -> list[int]:
        """Sorted years in which one of `titles` was received (folded compare)."""
        keys = {fold(t) for t in titles}
        return sorted({e.year for e in self.entries if fold(e.title) in keys})

    def entries_for(self, title: str, year: int) -> list[Entry]:
        """The entries of one title for one year."""
        key = fold(title)
        return [e for e in self.entries if e.year == year and fold(e.title) == key]


@dataclass(frozen=True)
class Match:
    """How an incoming name is tied to the register: new, matched (one person) or uncertain."""

    status: str  # "new" | "matched" | "uncertain"
    person_id: int | None = None
    candidates: tuple[int, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Seen:
    """The register's view of one nominee: the person matched (if any) and any doubt to confirm."""

    history: PersonHistory | None
    doubt: str = ""


def view_key(name: str, born: dt.date | None, collective: bool) -> tuple:
    """How a nominee is looked up in a view (folded name, birth date, collective)."""
    return (fold(name), None if collective else born, collective)


HistoryView = dict[tuple, Seen]


@dataclass
class Counts:
    """What loading a history workbook did: rows added, matched, already there, left to confirm."""

    added: int = 0
    matched: int = 0
    known: int = 0
    pending: int = 0
    doubts: list[str] = field(default_factory=list)

    def bump(self, status: str, doubt: str = "") -> None:
        """Count one row by its outcome."""
        setattr(self, status, getattr(self, status) + 1)
        if doubt:
            self.doubts.append(doubt)
