"""Claims: which process took which arrival of an inbox file, kept in the ledger's database.

A file is claimed once, even by watchers on several machines sharing one inbox:

    1. a row under a unique key for this arrival (inbox path, size, mtime in ns) — a second
       claimer finds the row and skips the file;
    2. the rename into state/work/ — the second guard: of two claimers that saw the file at
       different sizes or times (so with different keys) only one rename succeeds;
    3. the row learns the work path; from then on it says who works on the file.

A unit that sends a corrected file under the same name makes a new arrival (its size or time
differs) and it is claimed again. The same bytes with the same time (a `cp -p` of the same
file) find the earlier row already moved: that row is spent, so the arrival takes the next key
(`…|2`). A claim row whose holder died on this machine, or whose time ran out on another
machine, is taken over: the file it stands for is resumed by whoever starts next, never while
its holder lives.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from docflow.store.hosts import HOST, pid_alive
from docflow.store.ledger import LEASE_SECONDS, Ledger

# Between its row and its rename a claimer needs milliseconds; one that died there holds the
# file back on other machines at most this long (on its own machine, not at all).
CLAIM_SECONDS = 60.0


def arrival_key(path: Path, inbox: Path) -> str:
    """What names this arrival of an inbox file: its path in the inbox, size and mtime (ns);
    FileNotFoundError when it is gone already. A link is named by itself, never followed."""
    st = path.lstat()
    # relative: every machine names it alike, wherever it mounts the share
    name = path.relative_to(inbox).as_posix() if path.is_relative_to(inbox) else str(path)
    return f"{name}|{st.st_size}|{st.st_mtime_ns}"


def me() -> tuple[str, int, str]:
    """This process on this machine, and this thread of it: (host, pid, holder)."""
    return HOST, os.getpid(), f"{HOST}:{os.getpid()}:{threading.get_ident()}"


class Claims:
    """The claims table, on the ledger's own connection and transactions."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def take(self, key: str, now: float | None = None) -> str | None:
        """Claim an arrival before its rename; the key the row got, or None if a live claimer
        holds it (skip the file)."""
        now = time.time() if now is None else now
        host, pid, holder = me()
        with self._ledger._transaction():
            for n in range(1, 1000):
                taken = key if n == 1 else f"{key}|{n}"
                row = self._ledger._run("SELECT * FROM claims WHERE key = ?", (taken,)).fetchone()
                if row is not None and row["work_path"] is not None:
                    continue  # spent: an earlier arrival that looked the same, long moved
                if row is not None and not _gone(row, now):
                    return None
                self._ledger._run(
                    "INSERT OR REPLACE INTO claims(key, holder, host, pid, claimed_at, expires, "
                    "work_path) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    (taken, holder, host, pid, now, now + CLAIM_SECONDS))
                return taken
        return None

    def moved(self, key: str, work: Path, now: float | None = None) -> None:
        """The rename succeeded: the row now stands for the file in the work area."""
        now = time.time() if now is None else now
        self._ledger._run("UPDATE claims SET work_path = ?, expires = ? WHERE key = ?",
                          (str(work), now + LEASE_SECONDS, key))

    def drop(self, key: str) -> None:
        """The rename failed (the file went elsewhere): forget this claim."""
        self._ledger._run("DELETE FROM claims WHERE key = ? AND holder = ? AND work_path IS NULL",
                          (key, me()[2]))

    def hold(self, work: Path, busy_seconds: float = 0.0, now: float | None = None) -> None:
        """This process works on a claimed file now (the engine gave it this file), for up to
        `busy_seconds` (the file's time limit) beyond the usual lease."""
        now = time.time() if now is None else now
        host, pid, holder = me()
        self._ledger._run("UPDATE claims SET holder = ?, host = ?, pid = ?, expires = ? "
                          "WHERE work_path = ?",
                          (holder, host, pid, now + LEASE_SECONDS + busy_seconds, str(work)))

    def adopt(self, work: Path, now: float | None = None) -> bool:
        """Take a file left in the work area if its claimer is gone (or is this process, or it
        was claimed before claims were recorded); False while another live process holds it."""
        now = time.time() if now is None else now
        host, pid, holder = me()
        with self._ledger._transaction():
            row = self._ledger._run("SELECT * FROM claims WHERE work_path = ? ORDER BY "
                                    "claimed_at DESC LIMIT 1", (str(work),)).fetchone()
            if row is None:
                return True
            if (row["host"], row["pid"]) != (host, pid) and not _gone(row, now):
                return False
            self._ledger._run("UPDATE claims SET holder = ?, host = ?, pid = ?, expires = ? "
                              "WHERE key = ?", (holder, host, pid, now + LEASE_SECONDS,
                                                row["key"]))
            return True

    def renew(self, now: float | None = None) -> None:
        """Tell other machines this process still holds its claims (a heartbeat)."""
        now = time.time() if now is None else now
        host, pid, _ = me()
        self._ledger._run("UPDATE claims SET expires = ? WHERE host = ? AND pid = ? AND "
                          "work_path IS NOT NULL", (now + LEASE_SECONDS, host, pid))

    def holder_of(self, work: Path) -> str | None:
        """Who holds a file in the work area (host:pid:thread), for status and tests."""
        row = self._ledger._run("SELECT holder FROM claims WHERE work_path = ? ORDER BY "
                                "claimed_at DESC LIMIT 1", (str(work),)).fetchone()
        return row["holder"] if row else None


def _gone(row: dict, now: float) -> bool:
    """A claimer that died on this machine, or whose time ran out on another."""
    return row["expires"] <= now or (row["host"] == HOST and not pid_alive(row["pid"]))
