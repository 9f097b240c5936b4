"""When the province-wide drafts are remade: once a burst of files has been taken, not after
every file, and under a steady stream at least every `at_least_every` seconds.

Pure and thread-safe: the caller passes the time and whether the queue is quiet."""

from __future__ import annotations

import threading


class RefreshSchedule:
    """Out-of-date marks in, at most one refresh at a time out."""

    def __init__(self, at_least_every: float = 30.0) -> None:
        self.at_least_every = at_least_every
        self._since: float | None = None
        self._running = False
        self._lock = threading.Lock()

    def mark(self, now: float) -> None:
        """Some draft is out of date (a form was accepted, or the ledger says so)."""
        with self._lock:
            if self._since is None:
                self._since = now

    def due(self, now: float, quiet: bool) -> bool:
        """True when a refresh should start now; it is then running until `done`."""
        with self._lock:
            if self._since is None or self._running:
                return False
            if not quiet and now - self._since < self.at_least_every:
                return False
            self._since, self._running = None, True
            return True

    def done(self) -> None:
        """The refresh ended (well or not: a failed draft stays marked in the ledger)."""
        with self._lock:
            self._running = False

    def state(self) -> str:
        """"running", "waiting" (marked, not started) or ""."""
        with self._lock:
            return "running" if self._running else "waiting" if self._since is not None else ""
