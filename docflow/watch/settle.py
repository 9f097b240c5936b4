"""When a file in the inbox may be taken: stable, complete, and not already on its way.

Pure bookkeeping: the caller passes the time and the way to look at a file, so tests need no
sleeps and no real files.
"""

from __future__ import annotations

import os
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# Zip-based files (Office, OpenDocument, zip bundles) keep their directory at the very end, and a
# PDF ends with %%EOF: a copy cut short fails the check however long it has stood still.
ZIP_TYPES = {".xlsx", ".docx", ".xlsm", ".docm", ".ods", ".odt", ".zip"}
PDF_TAIL = 1024  # readers look for %%EOF this far from the end
Look = Callable[[Path], "tuple[int, float] | None"]


def look(path: Path) -> tuple[int, float] | None:
    """Size and mtime of a file, or None when it is gone or unreadable."""
    try:
        st = path.lstat()  # a link is looked at, never followed
    except OSError:
        return None
    return st.st_size, st.st_mtime


def open_for_writing(paths: list[Path]) -> set[Path]:
    """Those of `paths` a process on this machine (a copy, smbd serving a share) holds open for
    writing: one pass over /proc for the lot. Linux only; elsewhere, and for processes we may
    not inspect, none."""
    proc = Path("/proc")
    if not paths or not proc.is_dir():
        return set()
    wanted = {os.path.realpath(p): p for p in paths}
    found: set[Path] = set()
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        fds = proc / pid / "fd"
        try:
            names = os.listdir(fds)
        except OSError:
            continue
        for fd in names:
            try:
                target = os.readlink(fds / fd)
                if target not in wanted:
                    continue
                info = (proc / pid / "fdinfo" / fd).read_text()
            except OSError:
                continue
            flags = next((int(line.split()[1], 8) for line in info.splitlines()
                          if line.startswith("flags:")), 0)
            if flags & 0o3:  # O_WRONLY or O_RDWR
                found.add(wanted[target])
    return found


def complete(path: Path) -> bool:
    """A zip-based file is complete when its directory reads, a PDF when it ends with %%EOF,
    anything else when non-empty."""
    suffix = path.suffix.lower()
    if path.is_symlink():
        return True  # nothing to wait for: the pipeline refuses links
    try:
        if suffix in ZIP_TYPES:
            with zipfile.ZipFile(path) as zf:
                return bool(zf.namelist())
        if suffix == ".pdf":
            with path.open("rb") as fh:
                fh.seek(max(0, path.stat().st_size - PDF_TAIL))
                return b"%%EOF" in fh.read()
        return path.stat().st_size > 0
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


@dataclass
class _Seen:
    size: int
    mtime: float
    since: float


class Gate:
    """Pending files become due once stable and complete; a due file is not offered again
    until released, however many events or scans report it meanwhile."""

    def __init__(self, stability_seconds: float, give_up_seconds: float | None = None) -> None:
        self.delay = stability_seconds
        # A still file that never opens as a zip (a renamed .xls, a truncated copy) is taken
        # anyway after this long, so its sender gets an error report instead of silence.
        self.give_up = give_up_seconds if give_up_seconds is not None \
            else max(30.0, 10 * stability_seconds)
        self._pending: dict[Path, _Seen | None] = {}
        self._taken: set[Path] = set()
        self._lock = threading.Lock()

    def notice(self, path: Path, closed_at: float | None = None, look: Look = look,
               seen_at: float | None = None) -> None:
        """An event or a scan reported this path; it is looked at on the next `due`.

        `closed_at`: a close event (the writer closed the file, on this machine) came then. The
        file's stability clock starts at that moment, from the size and time it has now, instead
        of at the next look; any change after it restarts the clock as before.
        `seen_at`: the event or poll came then; a file not yet being timed is looked at now and
        timed from then, instead of from the next tick's look (a clock already running goes on)."""
        with self._lock:
            if path in self._taken:
                return
            if closed_at is None and (seen_at is None or self._pending.get(path) is not None):
                self._pending.setdefault(path, None)
                return
        state = look(path)
        since = closed_at if closed_at is not None else seen_at
        with self._lock:
            if path not in self._taken:
                self._pending[path] = None if state is None else _Seen(*state, since)

    def next_due(self, now: float) -> float | None:
        """The earliest time after `now` at which a pending file will have stood still long
        enough, if any: the caller looks again then rather than at its next regular tick."""
        with self._lock:
            times = [seen.since + self.delay for seen in self._pending.values()
                     if seen is not None and seen.since + self.delay > now]
        return min(times, default=None)

    def due(self, now: float, look: Look = look,
            complete: Callable[[Path], bool] = complete,
            writing: Callable[[list[Path]], set[Path]] = open_for_writing) -> list[Path]:
        """The pending files that are ready, by modification time; each is now taken.

        Saved-time order matters: of two versions from one unit, the later must win."""
        with self._lock:
            candidates = list(self._pending.items())
        ready: list[tuple[float, Path]] = []  # (mtime, path)
        gone: list[Path] = []
        for path, seen in candidates:
            state = look(path)
            if state is None:
                gone.append(path)
                continue
            size, mtime = state
            if seen is None or (seen.size, seen.mtime) != (size, mtime):
                self._update(path, _Seen(size, mtime, now))
                continue
            still = now - seen.since
            if still >= self.delay and (complete(path) or still >= self.give_up):
                ready.append((mtime, path))
        # A copy stalled on a slow link stands still yet is unfinished: while its writer holds
        # it open it is not taken, however long (and not given up on).
        held = writing([path for _, path in ready]) if ready else set()
        ready = [(mtime, path) for mtime, path in ready if path not in held]
        with self._lock:
            for path in gone:
                self._pending.pop(path, None)
            for _, path in ready:
                self._pending.pop(path, None)
                self._taken.add(path)
        return [path for _, path in sorted(ready)]

    def release(self, path: Path) -> None:
        """The file's processing ended (claimed, gone or failed); it may be noticed again."""
        with self._lock:
            self._taken.discard(path)

    def pending(self) -> int:
        """How many files are waiting to stand still."""
        with self._lock:
            return len(self._pending)

    def taken(self) -> int:
        """How many files are queued or being processed."""
        with self._lock:
            return len(self._taken)

    def _update(self, path: Path, seen: _Seen) -> None:
        with self._lock:
            if path in self._pending:
                self._pending[path] = seen
