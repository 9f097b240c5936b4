"""What passes between the service and its worker processes, and what is done when a worker
gives up on a file. Data only, apart from the administrator's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from docflow.documents import notices
from docflow.config import Config
from docflow.errors import DocflowError
from docflow.store import deliver
from docflow.store import Ledger
from docflow.pipeline import ADMIN, Outcome

Clock = Callable[[], dt.datetime]


class WorkerError(DocflowError):
    """A worker could not finish a file: over its time limit, died, or hit an unexpected fault."""

    ADVICE = {
        "timeout": "Kiểm tra tệp (quá lớn hoặc hỏng?); nếu tệp hợp lệ, tăng "
                   "watch.file_timeout_seconds trong config.toml",
        "crash": "Có thể máy thiếu bộ nhớ; nếu lặp lại với cùng tệp, gửi tệp cho bộ phận kỹ thuật",
        "error": "Gửi tệp này cùng nhật ký state/logs/docflow.jsonl cho bộ phận kỹ thuật",
    }

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        super().__init__(f"{detail}. {self.ADVICE.get(kind, self.ADVICE['error'])}; rồi khởi "
                         "động lại docflow để xử lý lại.")


@dataclass(frozen=True)
class Task:
    """A file to process: an inbox path, or (`unit` set) a work path claimed before a stop;
    or, with kind "refresh", remaking the province-wide drafts that are out of date."""

    path: Path
    unit: str | None = None
    kind: str = "file"

    @property
    def resumed(self) -> bool:
        """True for a file claimed before a stop or crash."""
        return self.unit is not None

    @property
    def sender(self) -> str:
        """The unit folder the file came from; one task per sender runs at a time."""
        if self.kind != "file":
            return f"_{self.kind}"
        return self.unit if self.unit is not None else self.path.parent.name


REFRESH = Task(Path("."), kind="refresh")


@dataclass(frozen=True)
class Setup:
    """What a worker process needs to open its own workspace; sent to it pickled."""

    config: Config
    clock: Clock
    handler: Callable[..., Any]
    generation: int = 0


@dataclass(frozen=True)
class Report:
    """How a task ended: done, gone (someone else took it), refreshed, error, timeout, crash."""

    task: Task
    kind: str
    outcome: Outcome | None = None
    work: Path | None = None
    unit: str = ""
    error: str = ""
    made: tuple[Path, ...] = ()


def give_up(report: Report, ledger: Ledger, outbox: Path, now: dt.datetime) -> Outcome:
    """A worker gave up mid-file: the file stays claimed for the next start, its ledger row says
    failed, and the administrator is told why in outbox/_quan-tri/."""
    work = report.work
    assert work is not None
    exc = WorkerError(report.kind, report.error)
    target, body = notices.failure_report(report.unit, work.name, exc, now, work.parent.name[:15])
    out = deliver(body.encode("utf-8"), outbox / ADMIN / target)
    row = ledger.by_work_path(work)
    if row is not None and row.status == "processing":
        ledger.finish(row.id, "failed", now.isoformat(timespec="seconds"), outputs=[str(out)],
                      note=str(exc))
    return Outcome("failed", report.unit, work.name, (out,))
