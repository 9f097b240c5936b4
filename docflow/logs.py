"""Logs: short readable lines on the console, JSON lines in the state folder, batch progress."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import logging.handlers
from dataclasses import dataclass, field
from pathlib import Path
from docflow.models import Status
from typing import Any

from docflow.charset import printable
from docflow.errors import describe_os

LOG_FILE = Path("logs") / "docflow.jsonl"
# Attributes every LogRecord has; anything else was passed in `extra` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class OneLine(logging.Formatter):
    """A message on one line: a file name with a newline or an escape code cannot forge a
    second log line (the traceback, if any, still follows on its own lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        """The record's line with control characters in the message escaped."""
        record.message = printable(record.message)
        return super().formatMessage(record)


class QuietFile(logging.handlers.RotatingFileHandler):
    """The JSON-lines file; when the disk is full, one line on stderr, not one per record."""

    failing = False

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record; a failed write is reported once until a write succeeds again."""
        try:
            if self.shouldRollover(record):
                self.doRollover()
            logging.FileHandler.emit(self, record)
            self.failing = False
        except Exception as exc:  # noqa: BLE001 - logging must never stop the service
            if not self.failing:
                self.failing = True
                sys.stderr.write(f"Không ghi được nhật ký {self.baseFilename}: {describe_os(exc)}."
                                 " Các dòng nhật ký tiếp theo chỉ hiện trên màn hình.\n")

    def close(self) -> None:
        """Close; the last buffered lines may be lost on a full disk, never raise."""
        try:
            super().close()
        except OSError:
            self.stream = None  # type: ignore[assignment]

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """FileHandler.emit reports through here: raise so that emit counts it once."""
        raise sys.exc_info()[1] or OSError("ghi nhật ký thất bại")


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (Vietnamese kept as is, not escaped)."""
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name,
            "msg": printable(record.getMessage())}
        data.update({k: printable(v) if isinstance(v, str) else v
                     for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def log_path(state: Path) -> Path:
    """Where the JSON-lines log of a workspace lives."""
    return state / LOG_FILE


def configure(state: Path | None, verbose: bool = False) -> list[logging.Handler]:
    """Console lines on stderr and, with a state folder, the JSON-lines file; returns them."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "docflow", False)]:
        root.removeHandler(old)  # configured again (a new workspace): replace, never stack
        old.close()
    console = _Console()
    console.setFormatter(OneLine("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
    handlers: list[logging.Handler] = [console]
    if state is not None:
        path = log_path(state)
        path.parent.mkdir(parents=True, exist_ok=True)
        jsonl = QuietFile(path, maxBytes=5 << 20, backupCount=5, encoding="utf-8")
        jsonl.setFormatter(JsonLines())
        handlers.append(jsonl)
    for handler in handlers:
        handler.docflow = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("watchdog.observers.inotify").addFilter(_quiet_shutdown)
    return handlers


class _Console(logging.StreamHandler):
    """stderr as it is when a line is written, not as it was when logging was set up."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _quiet_shutdown(record: logging.LogRecord) -> bool:
    # watchdog logs an error when an event lands while its thread stops: it happens at every
    # shutdown, loses nothing (the next start rescans), and would crowd `docflow status`.
    return "called when the thread is inactive" not in record.getMessage()


def recent(state: Path, levels: tuple[str, ...] = ("WARNING", "ERROR", "CRITICAL"),
           limit: int = 5) -> list[dict[str, Any]]:
    """The last `limit` records of the given levels from the JSON-lines log, oldest first."""
    path = log_path(state)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found: list[dict[str, Any]] = []
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash is skipped, not fatal
        if record.get("level") in levels:
            found.append(record)
            if len(found) == limit:
                break
    return found[::-1]


def last_event(state: Path, event: str) -> dict[str, Any] | None:
    """The newest log record of one event kind (e.g. `config_in_use`), or None."""
    try:
        lines = log_path(state).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        if f'"{event}"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == event:
            return record
    return None


@dataclass
class Progress:
    """Counts a batch (files arriving while others wait) and says when to print a line.

    Pure: the caller passes the time, and logs the lines it gets back."""

    every: float = 5.0
    total: int = 0
    done: int = 0
    started: float = 0.0
    last_line: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)

    def added(self, count: int, now: float) -> None:
        """`count` files joined the queue."""
        if self.total == self.done:
            self.total = self.done = 0
            self.statuses.clear()
            self.started = self.last_line = now
        self.total += count

    def finished(self, status: str, now: float) -> str | None:
        """A file ended; returns a progress line or the batch summary when one is due."""
        self.done += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if self.total < 2:
            return None
        if self.done >= self.total:
            seconds = now - self.started
            return (f"Xong đợt {self.total} tệp trong {_seconds(seconds)} "
                    f"({self._counts()}).")
        if now - self.last_line >= self.every:
            self.last_line = now
            return f"Tiến độ: {self.done}/{self.total} tệp ({self._counts()})."
        return None

    def _counts(self) -> str:
        names = {Status.ACCEPTED: "tiếp nhận", Status.REJECTED: "trả lại", Status.DUPLICATE: "trùng",
                 Status.FAILED: "lỗi xử lý", "gone": "đã bị lấy đi", Status.SUPERSEDED: "bản cũ",
                 Status.NESTED: "trong thư mục con"}
        return ", ".join(f"{n} {names.get(s, s)}" for s, n in sorted(self.statuses.items()))


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"
