"""The sổ theo dõi khen thưởng: one database shared by every campaign of the office — a SQLite
file, or (several machines: never SQLite on a share) the schema `khen_thuong` in PostgreSQL,
through the ledger's backend, so the same portable SQL runs on both.

Persons (and collectives) with the units they were seen at, the titles and awards they received,
their yearly ratings, and the rows the office must still confirm. Writes are idempotent: loading
the same workbook twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from docflow.config import Config
from docflow.errors import LedgerError
from docflow.history.lineage import lineage
from docflow.history.match import Candidate, decide
from docflow.history.models import Entry, HistoryView, Match, PersonHistory, Seen, view_key
from docflow.store import connect_database, copy_tables
from docflow.text import fold

PG_SCHEMA = "khen_thuong"     # beside a ledger in one database: its own names (both have `pending`)
PG_LOCK = 0x6B68656E74687567  # "khenthug": its writers wait for each other, never for the ledger's

SCHEMA = """
CREATE TABLE IF NOT EXISTS persons (
    id INTEGER PRIMARY KEY, collective INTEGER NOT NULL, name TEXT NOT NULL,
    fkey TEXT NOT NULL, born TEXT);
CREATE INDEX IF NOT EXISTS persons_by_name ON persons(fkey, collective);
CREATE TABLE IF NOT EXISTS person_units (
    person_id INTEGER NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (person_id, unit));
CREATE TABLE IF NOT EXISTS awards (
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, year INTEGER NOT NULL,
    title TEXT NOT NULL, tkey TEXT NOT NULL, decision_number TEXT NOT NULL,
    decision_date TEXT, decided_by TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL,
    workplace TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
    written TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, tkey, year, decision_number));
CREATE TABLE IF NOT EXISTS ratings (
    person_id INTEGER NOT NULL, year INTEGER NOT NULL, rating TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '', PRIMARY KEY (person_id, year));
CREATE TABLE IF NOT EXISTS pending (
    id INTEGER PRIMARY KEY, collective INTEGER NOT NULL, name TEXT NOT NULL, fkey TEXT NOT NULL,
    born TEXT, unit TEXT NOT NULL, what TEXT NOT NULL, data TEXT NOT NULL,
    candidates TEXT NOT NULL, reason TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',
    resolved INTEGER NOT NULL DEFAULT 0,
    UNIQUE (fkey, born, unit, what, data));
"""


class Register:
    """The office's award register; every method is one transaction unless inside `batch()`."""

    def __init__(self, path: Path | str, config: Config) -> None:
        """Open (and create) the register at a SQLite path or a postgresql:// address."""
        self.config = config
        try:
            self.db = connect_database(path, schema=PG_SCHEMA, lock_key=PG_LOCK)
        except Exception as exc:  # noqa: BLE001 - a bad address or a folder not writable
            raise LedgerError(
                f"Không mở được sổ theo dõi khen thưởng {path}: {exc}. Kiểm tra quyền ghi thư "
                "mục và khóa [register] path (hoặc url) trong config.toml.") from exc
        try:
            self.db.script(SCHEMA)
        except (*self.db.errors, OSError) as exc:
            self.db.close()
            raise LedgerError(
                f"Không mở được sổ theo dõi khen thưởng {path}: {exc}. Kiểm tra quyền ghi thư "
                "mục và khóa [register] path (hoặc url) trong config.toml.") from exc
        self._depth = 0

    def close(self) -> None:
        """Release the database."""
        self.db.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one transaction (a whole workbook: fast, and all or nothing)."""
        if self._depth == 0:
            self.db.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.db.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self.db.execute("COMMIT")

    def match(self, name: str, born: dt.date | None, unit: str,
              collective: bool = False) -> Match:
        """Who in the register this name is, following the unit's renames and mergers."""
        rows = self.db.execute("SELECT id, born FROM persons WHERE fkey = ? AND collective = ?",
                               (fold(name), int(collective))).fetchall()
        candidates = [Candidate(r["id"], _date(r["born"]), self._units(r["id"])) for r in rows]
        return decide(candidates, born, lineage(self.config, unit), collective)

    def add_award(self, *, name: str, born: dt.date | None, collective: bool, unit: str,
                  title: str, year: int, decision_number: str,
                  decision_date: dt.date | None, workplace: str = "", decided_by: str = "",
                  source: str = "") -> tuple[str, str]:
        """Record one title or award; returns (added|matched|known|pending, the doubt if any)."""
        data = {"written": name, "title": title, "year": year, "decision_number": decision_number,
                "decision_date": _iso(decision_date), "workplace": workplace,
                "decided_by": decided_by}
        return self._add(name, born, collective, unit, "award", data, source)

    def add_rating(self, *, name: str, born: dt.date | None, unit: str, year: int, rating: str,
                   source: str = "") -> tuple[str, str]:
        """Record one yearly rating (xếp loại) of a person."""
        return self._add(name, born, False, unit, "rating", {"year": year, "rating": rating},
                         source)

    def _add(self, name: str, born: dt.date | None, collective: bool, unit: str, what: str,
             data: dict, source: str) -> tuple[str, str]:
        with self.batch():
            found = self.match(name, born, unit, collective)
            if found.status == "uncertain":
                self.db.execute(
                    "INSERT OR IGNORE INTO pending (collective, name, fkey, born, unit, what, data,"
                    " candidates, reason, source) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (int(collective), name, fold(name), _iso(born), unit, what,
                     json.dumps(data, ensure_ascii=False, sort_keys=True),
                     json.dumps(found.candidates), found.reason, source))
                return "pending", f"{name}: {found.reason}"
            pid = found.person_id
            if pid is None:
                pid = self._new_person(collective, name, _iso(born))
            return self._attach(pid, unit, what, data, source, found.status), ""

    def _attach(self, pid: int, unit: str, what: str, data: dict, source: str,
                status: str) -> str:
        self.db.execute("INSERT OR IGNORE INTO person_units(person_id, unit) VALUES (?, ?)",
                        (pid, unit.upper()))
        if what == "rating":
            cur = self.db.execute("INSERT OR IGNORE INTO ratings(person_id, year, rating, source) "
                                  "VALUES (?,?,?,?)", (pid, data["year"], data["rating"], source))
        else:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO awards (person_id, year, title, tkey, decision_number, "
                "decision_date, decided_by, unit, workplace, source, written) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (pid, data["year"], data["title"], fold(data["title"]), data["decision_number"],
                 data["decision_date"], data["decided_by"], unit.upper(), data["workplace"],
                 source, data.get("written", "")))
        if cur.rowcount == 0:
            return "known"
        return "added" if status == "new" else "matched"

    def pending(self, name: str = "") -> list[dict]:
        """Rows the office must still confirm (of one folded name if given), oldest first."""
        cols = ("id", "collective", "name", "born", "unit", "what", "data", "candidates",
                "reason", "source")
        where = "resolved = 0" + (" AND fkey = ?" if name else "")
        rows = self.db.execute(f"SELECT {', '.join(cols)} FROM pending WHERE {where} ORDER BY id",
                               (fold(name),) if name else ()).fetchall()
        return [{**{c: r[c] for c in cols}, "data": json.loads(r["data"]),
                 "candidates": json.loads(r["candidates"])} for r in rows]

    def confirm(self, pending_id: int, person_id: int | None) -> str:
        """The office's answer: the row belongs to `person_id`, or (None) to a new person."""
        with self.batch():
            row = next((p for p in self.pending() if p["id"] == pending_id), None)
            if row is None:
                raise LedgerError(f"Không có dòng chờ xác nhận số {pending_id}; xem danh sách "
                                  "bằng `docflow history --pending`.")
            pid = person_id
            if pid is None:
                pid = self._new_person(bool(row["collective"]), row["name"], row["born"])
            status = self._attach(pid, row["unit"], row["what"], row["data"], row["source"],
                                  "new" if person_id is None else "matched")
            self.db.execute("UPDATE pending SET resolved = 1 WHERE id = ?", (pending_id,))
            return status

    def history(self, name: str, born: dt.date | None = None) -> list[PersonHistory]:
        """Everyone of this (folded) name, with their entries by year; only `born` if given."""
        rows = self.db.execute("SELECT id FROM persons WHERE fkey = ? ORDER BY id",
                               (fold(name),)).fetchall()
        people = [self.person(r["id"]) for r in rows]
        return [p for p in people if born is None or p.born == born]

    def person(self, pid: int) -> PersonHistory:
        """One person with every entry and rating."""
        row = self.db.execute("SELECT collective, name, born FROM persons WHERE id = ?",
                              (pid,)).fetchone()
        entries = tuple(
            Entry(r["year"], r["title"], r["decision_number"], _date(r["decision_date"]),
                  r["unit"], r["workplace"], r["decided_by"], r["written"])
            for r in self.db.execute(
                "SELECT year, title, decision_number, decision_date, unit, workplace, decided_by, "
                "written FROM awards WHERE person_id = ? ORDER BY year, decision_date, id",
                (pid,)))
        ratings = {r["year"]: r["rating"] for r in self.db.execute(
            "SELECT year, rating FROM ratings WHERE person_id = ?", (pid,))}
        return PersonHistory(pid, row["name"], _date(row["born"]), bool(row["collective"]),
                             entries, ratings)

    def view(self, nominees: Iterable[tuple[str, dt.date | None, bool]], unit: str) -> HistoryView:
        """What the register holds on each nominee of a unit, for validation (which stays pure)."""
        out: HistoryView = {}
        for name, born, collective in nominees:
            found = self.match(name, born, unit, collective)
            history = self.person(found.person_id) if found.person_id else None
            doubt = f"sổ có người cùng tên cần văn phòng xác nhận: {found.reason}" \
                if found.status == "uncertain" else ""
            out[view_key(name, born, collective)] = Seen(history, doubt)
        return out

    def _new_person(self, collective: bool, name: str, born: str | None) -> int:
        return self.db.execute("INSERT INTO persons (collective, name, fkey, born) "
                               "VALUES (?,?,?,?)",
                               (int(collective), name, fold(name), born)).lastrowid

    def _units(self, pid: int) -> frozenset[str]:
        return frozenset(r["unit"] for r in self.db.execute(
            "SELECT unit FROM person_units WHERE person_id = ?", (pid,)))


def copy_register(source: Path, url: str) -> dict[str, int]:
    """Copy an office's SQLite register into the PostgreSQL one at `url` (ids kept); rows per
    table. Refuses a PostgreSQL register that already has persons."""
    return copy_tables(source, connect_database(url, schema=PG_SCHEMA, lock_key=PG_LOCK),
                       SCHEMA, "persons", "Sổ theo dõi khen thưởng")


def open_register(config: Config) -> Register:
    """The office's register where the config puts it. An empty PostgreSQL register is refused
    while the SQLite file it replaces still holds the office's records: copy that first."""
    target = config.register_target()
    register = Register(target, config)
    old = config.register_path()
    if isinstance(target, str) and config.register.path is None and old.is_file() \
            and register.db.execute("SELECT COUNT(*) AS n FROM persons").fetchone()["n"] == 0:
        register.close()
        raise LedgerError(
            f"Sổ theo dõi khen thưởng nay nằm trong PostgreSQL nhưng còn trống, trong khi sổ cũ "
            f"{old} vẫn còn dữ liệu. Dừng docflow rồi chạy `docflow ledger-copy --register --to "
            f"{target}` để chép sổ cũ sang (hoặc đổi tên tệp cũ nếu muốn bắt đầu sổ mới).")
    return register


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
