"""What the service tells its log (and, when it stops by itself, the administrator)."""

from __future__ import annotations

import datetime as dt
import logging

from docflow.config import Config
from docflow.jobs import Report
from docflow.pipeline import ADMIN, STATUS_WORDS, Outcome, count_documents
from docflow.store import deliver
from docflow.watch.probe import Probe

log = logging.getLogger("docflow.watch")


def finished(outcome: Outcome) -> None:
    """One line per file, with its unit, its name and how it ended."""
    log.info("[%s] %s: %s", outcome.unit or "?", outcome.name,
             STATUS_WORDS.get(outcome.status, outcome.status),
             extra={"event": "file_done", "unit": outcome.unit, "file": outcome.name,
                    "status": outcome.status, "outputs": [str(p) for p in outcome.outputs]})


def failed(report: Report) -> None:
    """A job that ended in a timeout, a crash or an error."""
    log.error("Lỗi khi xử lý %s: %s", report.job.path, report.error,
              extra={"event": "file_error", "file": str(report.job.path), "kind": report.kind})


def refreshed(report: Report) -> None:
    """The province-wide drafts were remade, or could not be (they stay marked out of date)."""
    if report.kind == "refreshed":
        if report.made:
            log.info("Đã cập nhật %d văn bản tổng hợp.", count_documents(report.made),
                     extra={"event": "refreshed", "outputs": [str(p) for p in report.made]})
    else:  # the next rescan tries again
        log.error("Lỗi khi cập nhật văn bản tổng hợp: %s", report.error,
                  extra={"event": "refresh_error", "kind": report.kind})


def nested(unit: str, name: str) -> None:
    """A file in a subfolder of a unit's folder was answered, not processed."""
    log.info("[%s] %s: %s", unit, name, STATUS_WORDS["nested"],
             extra={"event": "nested", "unit": unit, "file": name})


def watching(p: Probe, poll_seconds: float) -> None:
    """How a root is followed: native events, or polling and why."""
    log.info("Theo dõi %s: %s — %s", p.root, "sự kiện" if p.mode == "native"
             else f"quét mỗi {poll_seconds:g} giây", p.reason,
             extra={"event": "watch_mode", "root": str(p.root), "mode": p.mode,
                    "fstype": p.fstype})


def halted(config: Config, reason: str, now: dt.datetime) -> None:
    """The service stopped taking files by itself: the log and a note in outbox/_quan-tri/."""
    log.critical("docflow dừng nhận tệp: %s", reason, extra={"event": "halted"})
    body = (f"docflow đã DỪNG nhận tệp lúc {now:%H:%M} ngày {now:%d/%m/%Y}.\n\n{reason}\n\n"
            "Các tệp đơn vị gửi tiếp vẫn nằm nguyên trong inbox/ và sẽ được xử lý khi "
            "docflow chạy lại.\n")
    try:
        deliver(body.encode("utf-8"), config.path("outbox") / ADMIN
                / f"{now:%Y%m%d-%H%M%S}-Dung-nhan-tep-so-theo-doi.txt")
    except OSError as exc:
        log.error("Không ghi được báo cáo cho quản trị: %s", exc)
