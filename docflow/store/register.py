"""The round's books in the ledger: issue numbers, the drafts docflow made, the decisions that
came back signed, and who was awarded by which decision.

Every write is one transaction in the ledger's database, so several worker processes (or
machines on one PostgreSQL) never hand out one number twice or skip one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from docflow.store.ledger import Ledger

SCHEMA = """
CREATE TABLE IF NOT EXISTS numbers (
    year INTEGER NOT NULL,
    type TEXT NOT NULL,                -- PTN, PBL, TB, CV, or a draft series such as DN-BKUBND
    last INTEGER NOT NULL,
    PRIMARY KEY (year, type)
);
CREATE TABLE IF NOT EXISTS draft_marks (
    mark TEXT PRIMARY KEY,             -- Mã dự thảo, e.g. DN-BKUBND-7, in the docx and its footer
    key TEXT NOT NULL,                 -- the province-wide draft it is a making of, e.g. DN:BKUBND
    award TEXT NOT NULL,
    made_at TEXT NOT NULL,
    nominees TEXT NOT NULL             -- [{unit, name, person_key, collective}], or
);                                     -- {"parts": [digest of mark_names …]}
CREATE TABLE IF NOT EXISTS mark_names (
    digest TEXT PRIMARY KEY,           -- sha256 of names: one unit's part of a making's list,
    names TEXT NOT NULL                -- [{unit, name, …}], kept once for every making it is in
);
CREATE TABLE IF NOT EXISTS issued (
    mark TEXT PRIMARY KEY REFERENCES draft_marks(mark),
    number TEXT NOT NULL,              -- 2345/QĐ-UBND
    day TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS awarded (
    person_key TEXT NOT NULL,          -- folded name | date of birth (a collective: | unit)
    award TEXT NOT NULL,
    campaign TEXT NOT NULL,
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    day TEXT NOT NULL,
    mark TEXT NOT NULL,
    PRIMARY KEY (person_key, award, campaign)
);
"""


@dataclass(frozen=True)
class Decision:
    """A signed decision as recorded: its number, its date and the draft it was made from."""

    number: str
    day: dt.date
    mark: str

    @property
    def cited(self) -> str:
        """How a document cites it: `Quyết định số 2345/QĐ-UBND ngày 20/12/2025`."""
        return f"Quyết định số {self.number} ngày {self.day:%d/%m/%Y}"


@dataclass(frozen=True)
class Nominee:
    """One name on a draft: whose, who, and the key that finds the same person later."""

    unit: str
    name: str
    person_key: str
    collective: bool


def nominees_json(nominees: list[Nominee]) -> str:
    """Names of a draft making (all, or one unit's part) as the ledger keeps them."""
    return json.dumps([n.__dict__ for n in nominees], ensure_ascii=False)


@dataclass(frozen=True)
class Mark:
    """One making of a province-wide draft."""

    mark: str
    key: str
    award: str
    made_at: str
    nominees: tuple[Nominee, ...]


class Books:
    """The numbering register and the award books, on the ledger's own connection."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        ledger.ensure_tables(SCHEMA)

    def next_number(self, year: int, kind: str) -> int:
        """The next number of a type in a year: 1, 2, 3 … with no gap and no duplicate."""
        with self._ledger._transaction():
            row = self._ledger._run(
                "INSERT INTO numbers(year, type, last) VALUES (?, ?, 1) ON CONFLICT(year, type) "
                "DO UPDATE SET last = last + 1 RETURNING last", (year, kind)).fetchone()
        return int(row["last"])

    def last_number(self, year: int, kind: str) -> int:
        """The last number given of a type in a year; 0 before the first."""
        row = self._ledger._run("SELECT last FROM numbers WHERE year = ? AND type = ?",
                                (year, kind)).fetchone()
        return int(row["last"]) if row else 0

    def new_mark(self, key: str, award: str, nominees: list[Nominee], now: str,
                 parts: list[tuple[str, str]] | None = None) -> str:
        """A Mã dự thảo for one making of a draft, with the names it carries: `nominees`, or
        `parts` in their order, each (sha256 hex of its text, `nominees_json` of some names),
        of which only those not kept yet are written (a long list's unchanged units are not)."""
        series = key.replace(":", "-")
        with self._ledger._transaction():
            row = self._ledger._run(
                "INSERT INTO numbers(year, type, last) VALUES (0, ?, 1) ON CONFLICT(year, type) "
                "DO UPDATE SET last = last + 1 RETURNING last", (series,)).fetchone()
            mark = f"{series}-{row['last']}"
            if parts is not None:
                kept = set(self._names([digest for digest, _ in parts], text=False))
                for digest, names in parts:
                    if digest not in kept:
                        self._ledger._run("INSERT INTO mark_names(digest, names) VALUES (?, ?) "
                                          "ON CONFLICT(digest) DO NOTHING", (digest, names))
                        kept.add(digest)
            self._ledger._run(
                "INSERT INTO draft_marks(mark, key, award, made_at, nominees) VALUES (?,?,?,?,?)",
                (mark, key, award, now, nominees_json(nominees) if parts is None else
                 json.dumps({"parts": [digest for digest, _ in parts]})))
        return mark

    def _names(self, digests: list[str], text: bool = True) -> dict[str, str]:
        """The kept parts of makings' lists among `digests` (without `text`: which are kept,
        read from the key's index alone)."""
        found, wanted = {}, sorted(set(digests))
        column = "names" if text else "'' AS names"
        for start in range(0, len(wanted), 500):  # SQLite allows only so many ? at once
            chunk = wanted[start:start + 500]
            found.update((r["digest"], r["names"]) for r in self._ledger._run(
                f"SELECT digest, {column} FROM mark_names WHERE digest IN "
                f"({', '.join('?' * len(chunk))})", tuple(chunk)))
        return found

    def _marks(self, rows: list) -> list[Mark]:
        """Makings from their rows, the names of each read from its parts where it has them."""
        stored = [(row, json.loads(row["nominees"])) for row in rows]
        names = self._names([d for _, data in stored if isinstance(data, dict)
                             for d in data["parts"]])
        return [Mark(row["mark"], row["key"], row["award"], row["made_at"], tuple(
            Nominee(**n) for n in (data if isinstance(data, list) else
                                   (n for d in data["parts"] for n in json.loads(names[d])))))
            for row, data in stored]

    def mark(self, mark: str) -> Mark | None:
        """A draft making by its Mã dự thảo (case-insensitive)."""
        row = self._ledger._run("SELECT * FROM draft_marks WHERE upper(mark) = upper(?)",
                                (mark.strip(),)).fetchone()
        return self._marks([row])[0] if row else None

    def marks(self) -> list[Mark]:
        """Every draft making, newest first."""
        return self._marks(list(self._ledger._run(
            "SELECT * FROM draft_marks ORDER BY made_at DESC, rowid DESC")))

    def issued(self, mark: str) -> Decision | None:
        """The signed decision recorded for a draft making, if any."""
        row = self._ledger._run("SELECT * FROM issued WHERE mark = ?", (mark,)).fetchone()
        return _decision(row) if row else None

    def record_issued(self, mark: Mark, number: str, day: dt.date, campaign: str, source: str,
                      now: str) -> Decision:
        """A draft came back signed: its number and date, and its nominees awarded, at once."""
        decision = Decision(number, day, mark.mark)
        with self._ledger._transaction():
            self._ledger._run(
                "INSERT OR REPLACE INTO issued(mark, number, day, source, recorded_at) "
                "VALUES (?,?,?,?,?)", (mark.mark, number, day.isoformat(), source, now))
            for n in mark.nominees:
                self._ledger._run(
                    "INSERT OR IGNORE INTO awarded(person_key, award, campaign, unit, name, "
                    "number, day, mark) VALUES (?,?,?,?,?,?,?,?)",
                    (n.person_key, mark.award, campaign, n.unit, n.name, number, day.isoformat(),
                     mark.mark))
        return decision

    def awarded(self, person_key: str, award: str, campaign: str = "") -> Decision | None:
        """The decision that gave `award` to this person (in this campaign, when named)."""
        sql = "SELECT number, day, mark FROM awarded WHERE person_key = ? AND award = ?"
        args: tuple = (person_key, award)
        if campaign:
            sql, args = sql + " AND campaign = ?", (*args, campaign)
        row = self._ledger._run(sql + " ORDER BY day LIMIT 1", args).fetchone()
        return _decision(row) if row else None

    def awarded_all(self, award: str, campaign: str = "") -> dict[str, Decision]:
        """`awarded` for every person at once (person key → the decision), in one query: a
        refresh looks up every nominee of a list that may hold 100,000."""
        sql = "SELECT person_key, number, day, mark FROM awarded WHERE award = ?"
        args: tuple = (award,)
        if campaign:
            sql, args = sql + " AND campaign = ?", (*args, campaign)
        found: dict[str, Decision] = {}
        for row in self._ledger._run(sql + " ORDER BY day", args):
            found.setdefault(row["person_key"], _decision(row))
        return found

    def awards(self) -> list[dict[str, str]]:
        """Every award recorded, for the award-history register: one dict per row."""
        return [dict(r) for r in self._ledger._run(
            "SELECT * FROM awarded ORDER BY day, number, unit, name")]


def _decision(row) -> Decision:
    return Decision(row["number"], dt.date.fromisoformat(row["day"]), row["mark"])
