"""When a file that failed for a system reason is tried again while the service runs.

A full disk or a crashed LibreOffice heals without a restart; the file is tried again after
30 s, 60 s, 120 s … and after `tries` attempts waits for the next start, as before. Pure
bookkeeping: the caller passes the time.
"""

from __future__ import annotations

import threading
from pathlib import Path

FIRST_SECONDS = 30.0
TRIES = 5


class RetrySchedule:
    """Failed work paths, how often each was tried, and when each is due again."""

    def __init__(self, first_seconds: float = FIRST_SECONDS, tries: int = TRIES) -> None:
        self.first, self.tries = first_seconds, tries
        self._due: dict[Path, tuple[int, float, str]] = {}  # work: tries, due at, unit
        self._lock = threading.Lock()

    def failed(self, work: Path, unit: str, now: float) -> float | None:
        """A try failed; returns the wait before the next, or None when tries are used up."""
        with self._lock:
            tries = self._due.get(work, (0, 0.0, ""))[0] + 1
            if tries > self.tries:
                self._due.pop(work, None)
                return None
            wait = self.first * 2 ** (tries - 1)
            self._due[work] = (tries, now + wait, unit)
            return wait

    def ended(self, work: Path) -> None:
        """The file ended otherwise (accepted, rejected, superseded …): forget it."""
        with self._lock:
            self._due.pop(work, None)

    def due(self, now: float) -> list[tuple[Path, str]]:
        """(work, unit) of each file due again; each is not due again until its next failure."""
        with self._lock:
            ready = [(work, unit) for work, (_, at, unit) in self._due.items() if at <= now]
            for work, _ in ready:
                tries, _, unit = self._due[work]
                self._due[work] = (tries, float("inf"), unit)
        return ready

    def pending(self) -> int:
        """How many failed files wait for another try."""
        with self._lock:
            return len(self._due)
