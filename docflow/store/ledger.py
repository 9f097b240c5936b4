"""The SQLite ledger: every file seen, every accepted version, every output delivered."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from docflow.config import Config
from docflow.errors import LedgerError
from docflow.store.ledger_messages import MARKER, cause as _cause, missing as _missing
from docflow.models import Record
from docflow.store import backend
from docflow.store.decoded import DecodedRecords
from docflow.store.hosts import HOST, holder, pid_alive
from docflow.store.schema import SCHEMA
from docflow.store.serial import dumps, loads

# Long enough for one file's work; a holder that died on this machine is noticed at once anyway.
LEASE_SECONDS = 900.0



@dataclass(frozen=True)
class FileRow:
    """One received file as the ledger knows it."""

    id: int
    unit: str
    name: str
    sha256: str
    status: str
    received_at: str
    finished_at: str | None
    work_path: str | None
    stored_path: str | None
    outputs: list[str]
    kind: str = ""


@dataclass(frozen=True)
class Accepted:
    """A current accepted version: its record and when it was accepted."""

    record: Record
    accepted_at: str
    file_id: int


class Ledger:
    """A thin, transactional wrapper around the ledger database.

    Created once: afterwards a missing or replaced ledger file is an error for the
    administrator, never an empty new start (the next drafts would lose every earlier unit)."""

    def __init__(self, path: Path | str, readonly: bool = False) -> None:
        """Open (and create or migrate) the ledger at a SQLite path or a postgresql:// address;
        `readonly`: the dashboard reads an existing ledger and never creates or changes one."""
        url = isinstance(path, str) and path.startswith(("postgresql", "postgres:"))
        self._decoded = DecodedRecords()  # current records, decoded once each
        self.path = None if url else Path(path)
        marker = None if self.path is None else self.path.parent / MARKER
        if self.path is not None and not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if marker.exists() and not self.path.exists():
                raise LedgerError(_missing(self.path))  # deleted while in use: never a new start
        try:
            self._db = backend.connect(path, readonly)
        except Exception as exc:  # noqa: BLE001 - a bad address or a driver that is missing
            raise LedgerError(f"Không mở được sổ theo dõi {path}: {_cause(exc)}. Kiểm tra quyền "
                              "ghi thư mục state/ hoặc [ledger] url trong config.toml.") from exc
        try:
            if not readonly:
                backend.prepare(self._db, SCHEMA)
                self._upgrade()
            self._id = None if self.path is None else _identity(self.path)
        except (*self._db.errors, OSError) as exc:
            raise LedgerError(f"Không mở được sổ theo dõi {path}: {_cause(exc)}") from exc
        if marker is not None and not readonly and not marker.exists():
            marker.write_text("Sổ theo dõi docflow đã được tạo; nếu thiếu tệp ledger.sqlite3 "
                              "docflow sẽ dừng thay vì tạo sổ mới.\n", encoding="utf-8")

    def ensure_tables(self, schema: str) -> None:
        """Create a room's own tables beside the ledger's (CREATE TABLE IF NOT EXISTS …)."""
        try:
            self._db.script(schema)
        except self._db.errors as exc:
            raise LedgerError(f"Không tạo được bảng trong sổ theo dõi: {_cause(exc)}") from exc

    @property
    def kind(self) -> str:
        """"SQLite" or "PostgreSQL"."""
        return self._db.name

    def _upgrade(self) -> None:
        """Add the columns a ledger made by an earlier docflow lacks."""
        have = set(self._db.columns("drafts"))
        for column in ("config_version", "templates_version"):
            if column not in have:
                self._db.execute(f"ALTER TABLE drafts ADD COLUMN {column} TEXT NOT NULL "
                                 "DEFAULT ''")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _run(self, sql: str, args: tuple = ()) -> Any:
        """One statement; a locked or broken database becomes a LedgerError that says what to do."""
        # SQLite goes on writing into a deleted file: a stat first (microseconds) notices it.
        if self.path is not None:
            try:
                same = _identity(self.path) == self._id
            except OSError:
                same = False
            if not same:
                raise LedgerError(_missing(self.path))
        try:
            return self._db.execute(sql, args)
        except self._db.errors as exc:
            if self.path is None:
                raise LedgerError(self._db.advice(exc)) from exc
            raise LedgerError(f"Sổ theo dõi (SQLite) không dùng được: {_cause(exc)}") from exc

    def begin_file(self, unit: str, name: str, sha256: str, work_path: Path, now: str) -> int:
        """Record a newly claimed file; returns its id."""
        cur = self._run(
            "INSERT INTO files(unit, name, sha256, status, received_at, work_path) "
            "VALUES (?, ?, ?, 'processing', ?, ?)", (unit, name, sha256, now, str(work_path)))
        return int(cur.lastrowid)

    def finished_with_hash(self, unit: str, sha256: str) -> FileRow | None:
        """The earlier accepted or rejected file with these exact bytes for this unit."""
        row = self._run(
            "SELECT * FROM files WHERE unit = ? AND sha256 = ? AND status IN ('accepted', "
            "'rejected') ORDER BY id LIMIT 1", (unit, sha256)).fetchone()
        return _file(row) if row else None

    def file(self, file_id: int) -> FileRow | None:
        """One file row by its id."""
        row = self._run("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone()
        return _file(row) if row else None

    def finished_since(self, since: str, without_note: str) -> list[FileRow]:
        """Files answered at or after `since` (ISO time) whose note lacks `without_note`."""
        return [_file(r) for r in self._run(
            "SELECT * FROM files WHERE finished_at >= ? AND stored_path IS NOT NULL AND "
            "replace(note, ?, '') = note ORDER BY id", (since, without_note))]

    def add_note(self, file_id: int, text: str) -> None:
        """Append to a file's note (kept with the row for the administrator)."""
        self._run("UPDATE files SET note = trim(note || ' ' || ?) WHERE id = ?", (text, file_id))

    def by_work_path(self, work_path: Path) -> FileRow | None:
        """The newest file row claimed into this work path."""
        row = self._run("SELECT * FROM files WHERE work_path = ? ORDER BY id DESC LIMIT 1",
                               (str(work_path),)).fetchone()
        return _file(row) if row else None

    def finish(self, file_id: int, status: str, now: str, *, kind: str = "",
               stored_path: Path | None = None, problems: list[dict] | None = None,
               outputs: list[str] | list[dict[str, str]] | None = None, note: str = "",
               record: Record | None = None, stale: list[str] = (),
               pending: str | None = None) -> None:
        """Close a file's processing in one transaction; an accepted record becomes current
        and the drafts it changes are marked stale in the same step. `pending` holds the
        documents still to deliver for it (see `delivered`)."""
        with self._transaction():
            if pending is not None:
                self._run("INSERT OR REPLACE INTO pending(file_id, documents) VALUES (?, ?)",
                          (file_id, pending))
            self._mark(stale, now)
            if record is not None:
                self._run(
                    "UPDATE submissions SET current = 0 WHERE unit = ? AND kind = ? AND period = ?",
                    (record.unit, record.kind, record.period))
                self._run(
                    "INSERT INTO submissions(file_id, unit, kind, period, data, accepted_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (file_id, record.unit, record.kind, record.period, dumps(record), now))
            self._run(
                "UPDATE files SET status = ?, kind = ?, finished_at = ?, stored_path = ?, "
                "problems = ?, outputs = ?, note = ? WHERE id = ?",
                (status, kind, now, str(stored_path) if stored_path else None,
                 json.dumps(problems or [], ensure_ascii=False),
                 json.dumps(outputs or [], ensure_ascii=False), note, file_id))

    def pending(self, file_id: int) -> str | None:
        """The documents an accepted file still has to deliver, if any."""
        row = self._run("SELECT documents FROM pending WHERE file_id = ?", (file_id,)).fetchone()
        return row["documents"] if row else None

    def delivered(self, file_id: int, outputs: list[dict[str, str]]) -> None:
        """An accepted file's answer is out: record what it produced, nothing is pending."""
        with self._transaction():
            self._run("UPDATE files SET outputs = ? WHERE id = ?",
                      (json.dumps(outputs, ensure_ascii=False), file_id))
            self._run("DELETE FROM pending WHERE file_id = ?", (file_id,))

    def _mark(self, keys: list[str], now: str) -> None:
        for key in keys:
            self._run(
                "INSERT INTO stale(key, version, since) VALUES (?, 1, ?) ON CONFLICT(key) "
                "DO UPDATE SET version = version + 1", (key, now))

    def mark_stale(self, keys: list[str], now: str) -> None:
        """Drafts to remake (the config or templates they were made from changed)."""
        if keys:
            with self._transaction():
                self._mark(keys, now)

    def stale(self) -> dict[str, int]:
        """Drafts waiting to be remade, with the version each was marked at."""
        return {r["key"]: r["version"] for r in self._run(
            "SELECT key, version FROM stale ORDER BY since, key")}

    def refreshed(self, key: str, version: int | None, outputs: list[dict[str, str]], now: str,
                  made_from: dict[str, str] | None = None) -> None:
        """A draft was remade from data at `version` (None: made with a receipt, nothing was
        marked) and from these config and templates versions; a newer mark keeps it stale."""
        made_from = made_from or {}
        with self._transaction():
            self._run("INSERT OR REPLACE INTO drafts(key, made_at, outputs, config_version, "
                      "templates_version) VALUES (?, ?, ?, ?, ?)",
                      (key, now, json.dumps(outputs, ensure_ascii=False),
                       made_from.get("config", ""), made_from.get("templates", "")))
            if version is not None:
                self._run("DELETE FROM stale WHERE key = ? AND version = ?", (key, version))

    def drafts(self) -> dict[str, dict[str, Any]]:
        """Every draft's latest making: when, from which config and templates versions, and
        what it delivered."""
        return {r["key"]: {"made_at": r["made_at"], "config": r["config_version"],
                           "templates": r["templates_version"],
                           "outputs": json.loads(r["outputs"])}
                for r in self._run("SELECT key, made_at, outputs, config_version, "
                                   "templates_version FROM drafts ORDER BY key")}

    def draft_outputs(self, key: str) -> list[dict[str, str]]:
        """What the latest making of a draft delivered, with its templates' hashes."""
        row = self._run("SELECT outputs FROM drafts WHERE key = ?", (key,)).fetchone()
        return json.loads(row["outputs"]) if row else []

    def mark(self) -> str:
        """A short value that changes whenever a file or a draft is recorded or finished."""
        row = self._run(
            "SELECT (SELECT COUNT(*) || '.' || COALESCE(MAX(id), 0) FROM files) || '.' || "
            "(SELECT COUNT(*) || '.' || COALESCE(MAX(finished_at), '') FROM files "
            " WHERE finished_at IS NOT NULL) || '.' || (SELECT COUNT(*) FROM submissions) || '.' || "
            "(SELECT COALESCE(MAX(made_at), '') FROM drafts) AS mark").fetchone()
        return str(row["mark"])

    def draft_keys(self) -> list[str]:
        """Every province-wide draft made at least once."""
        return [r["key"] for r in self._run("SELECT key FROM drafts ORDER BY key")]

    def set_stored_path(self, file_id: int, stored_path: Path) -> None:
        """Record where the original finally rests."""
        # work_path stays: a crash before the move finds this row again by it
        self._run("UPDATE files SET stored_path = ? WHERE id = ?",
                         (str(stored_path), file_id))

    def outputs_of(self, file_id: int) -> list[dict[str, str]]:
        """What a file produced: path, template and the template's sha256 for each output."""
        row = self._run("SELECT outputs FROM files WHERE id = ?", (file_id,)).fetchone()
        items = json.loads(row["outputs"]) if row else []
        return [o if isinstance(o, dict) else {"path": o} for o in items]

    def rejected_before(self, unit: str, kind: str, file_id: int) -> list[int]:
        """Ids of a unit's rejected files of one form, received before file `file_id`."""
        return [r["id"] for r in self._run(
            "SELECT id FROM files WHERE unit = ? AND kind = ? AND status = 'rejected' AND id < ? "
            "ORDER BY id", (unit, kind, file_id))]

    def set_outputs(self, file_id: int, outputs: list[dict[str, str]]) -> None:
        """Record where a file's answers are now (after they were moved aside)."""
        self._run("UPDATE files SET outputs = ? WHERE id = ?",
                  (json.dumps(outputs, ensure_ascii=False), file_id))

    def current(self, kind: str) -> list[Accepted]:
        """The latest accepted version of every (unit, period) for a form kind."""
        rows = self._run(
            "SELECT id, accepted_at, file_id FROM submissions WHERE kind = ? AND current = 1 "
            "ORDER BY id", (kind,)).fetchall()
        heads = [(r["id"], r["file_id"], r["accepted_at"]) for r in rows]
        records = self._decoded.records(kind, heads, self._submission_data)
        return [Accepted(record, at, file_id) for record, (_, file_id, at) in zip(records, heads)]

    def _submission_data(self, ids: list[int]) -> list[tuple[int, str]]:
        marks = ", ".join("?" * len(ids))
        return [(r["id"], r["data"]) for r in self._run(
            f"SELECT id, data FROM submissions WHERE id IN ({marks})", tuple(ids))]

    def records(self, file_ids: list[int]) -> dict[int, Record]:
        """The records accepted from these files (a version's record never changes)."""
        found: dict[int, Record] = {}
        for start in range(0, len(file_ids), 500):  # SQLite allows only so many ? at once
            ids = file_ids[start:start + 500]
            found.update((r["file_id"], loads(r["data"])) for r in self._run(
                f"SELECT file_id, data FROM submissions WHERE file_id IN "
                f"({', '.join('?' * len(ids))})", tuple(ids)))
        return found

    def current_for(self, unit: str, kind: str, period: str) -> Accepted | None:
        """The version a new submission of (unit, kind, period) would replace."""
        row = self._run(
            "SELECT data, accepted_at, file_id FROM submissions WHERE unit = ? AND kind = ? "
            "AND period = ? AND current = 1", (unit, kind, period)).fetchone()
        return Accepted(loads(row["data"]), row["accepted_at"], row["file_id"]) if row else None

    def files(self, status: str | None = None, unit: str | None = None) -> list[FileRow]:
        """Files, optionally only those with one status or of one unit, oldest first."""
        where = [(column, value) for column, value in (("status", status), ("unit", unit))
                 if value]
        sql = "SELECT * FROM files" + (" WHERE " + " AND ".join(f"{c} = ?" for c, _ in where)
                                       if where else "")
        return [_file(r) for r in self._run(sql + " ORDER BY id", tuple(v for _, v in where))]

    def counts(self) -> dict[tuple[str, str], int]:
        """How many files of each (unit, status): counted by the database, not read row by row."""
        return {(r["unit"], r["status"]): int(r["n"]) for r in self._run(
            "SELECT unit, status, COUNT(*) AS n FROM files GROUP BY unit, status")}

    def heads(self, kind: str) -> list[tuple[str, str, str, int]]:
        """(unit, period, accepted_at, file_id) of each current version of a form kind: what
        `current` says without reading the records themselves."""
        return [(r["unit"], r["period"], r["accepted_at"], r["file_id"]) for r in self._run(
            "SELECT unit, period, accepted_at, file_id FROM submissions WHERE kind = ? AND "
            "current = 1 ORDER BY id", (kind,))]

    def size(self) -> int:
        """The ledger's size in bytes: its SQLite file and journal, or the PostgreSQL database."""
        if self.path is None:
            row = self._run("SELECT pg_database_size(current_database()) AS n").fetchone()
            return int(row["n"]) if row else 0
        parts = [self.path, self.path.with_name(self.path.name + "-wal")]
        return sum(p.stat().st_size for p in parts if p.exists())

    def try_lease(self, name: str, ttl: float, now: float | None = None) -> bool:
        """Take the lease `name` for this thread unless a live holder has it; True if taken.

        A holder on this machine whose process is gone (kill -9) loses it at once; one on
        another machine when its time runs out."""
        me, now = holder(), time.time() if now is None else now
        with self._transaction():
            row = self._run("SELECT holder, host, pid, expires FROM leases WHERE name = ?",
                            (name,)).fetchone()
            if row is not None and row["holder"] != me and row["expires"] > now \
                    and not (row["host"] == HOST and not pid_alive(row["pid"])):
                return False
            self._run("INSERT OR REPLACE INTO leases(name, holder, host, pid, expires) "
                      "VALUES (?, ?, ?, ?, ?)", (name, me, HOST, os.getpid(), now + ttl))
            return True

    def release(self, name: str) -> None:
        """Give back a lease this thread holds."""
        self._run("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder()))

    @contextlib.contextmanager
    def lease(self, name: str, ttl: float = LEASE_SECONDS,
              poll: float = 0.02) -> Iterator[None]:
        """Hold `name` for the block: every process sharing this ledger waits its turn."""
        while not self.try_lease(name, ttl):
            time.sleep(poll)
            poll = min(poll * 1.5, 0.25)
        try:
            yield
        finally:
            self.release(name)

    def leases(self) -> dict[str, str]:
        """Who holds what now, for `docflow status`."""
        return {r["name"]: r["holder"] for r in self._run(
            "SELECT name, holder FROM leases WHERE expires > ? ORDER BY name", (time.time(),))}

    def refused(self, kind: str) -> list[tuple[str, str, list[dict]]]:
        """The latest refused file of a form per unit: (unit, file name, problems)."""
        rows = self._run("SELECT unit, name, problems FROM files WHERE status = 'rejected' AND "
                         "kind = ? ORDER BY id", (kind,)).fetchall()
        latest = {r["unit"]: (r["unit"], r["name"], json.loads(r["problems"])) for r in rows}
        return list(latest.values())

    def _transaction(self) -> Any:
        return _Tx(self)


class _Tx:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __enter__(self) -> None:
        self.ledger._run("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.ledger._run("ROLLBACK" if exc_type else "COMMIT")


def open_ledger(config: Config) -> Ledger:
    """The campaign's ledger: [ledger] url (PostgreSQL) or SQLite in its state folder."""
    return Ledger(config.ledger.url or config.path("state") / "ledger.sqlite3")


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _file(row: Any) -> FileRow:
    outputs = [o["path"] if isinstance(o, dict) else o for o in json.loads(row["outputs"])]
    return FileRow(row["id"], row["unit"], row["name"], row["sha256"], row["status"],
                   row["received_at"], row["finished_at"], row["work_path"], row["stored_path"],
                   outputs, row["kind"])
