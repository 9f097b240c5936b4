"""How a file is answered once it is decided: the reply to the sender, the ledger row that
records it and the original put away (archive or rejected area, never deleted)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from docflow.awarding import take_issued
from docflow.delivery import deliver_all, retire_superseded
from docflow.drafts import remake
from docflow.documents import Document, annotate_workbook, notices
from docflow.errors import DocflowError
from docflow.models import Problem, Status, Submission
from docflow.store import FileRow, free_name, store
from docflow.validation import attachments
from docflow.workspace import Workspace

ADMIN = "_quan-tri"
log = logging.getLogger("docflow")


@dataclass(frozen=True)
class Claimed:
    """A file taken from the inbox: where it waits, whose it is, its ledger id and hash."""

    work: Path
    unit: str
    file_id: int
    digest: str

    @property
    def stamp(self) -> str:
        """Claim time and ledger id, reused in output names so a retry overwrites rather than
        adds, and two files with the same name claimed in one second never share an answer."""
        return f"{self.work.parent.name[:15]}-{self.file_id}"


@dataclass(frozen=True)
class Outcome:
    """How one file ended: accepted, rejected, duplicate or failed (retried at next start)."""

    status: str
    unit: str
    name: str
    outputs: tuple[Path, ...] = ()
    problems: tuple[Problem, ...] = ()


def deliver_accepted(item: Claimed, docs: list[Document], meta: dict,
                      problems: tuple[Problem, ...], ws: Workspace) -> Outcome:
    """The answer of an accepted file, out of the campaign lease. If it cannot be delivered
    (a full disk), the administrator is told and the file is failed, to be tried again; a crash
    before the answer is out leaves it accepted with the answer pending, delivered on resume."""
    later = meta.get("later", 0)  # the unit's own documents, made once the receipt is out
    answer, own = (docs[:-later], docs[-later:]) if later else (docs, [])
    try:
        made = deliver_all(answer, ws)
    except (DocflowError, OSError) as exc:
        # The record stays current (the campaign's checks counted it); the file is failed, so
        # a retry processes it again: its answer then, or "superseded" if a newer one came.
        failed = report_failure(item, exc, ws)
        ws.ledger.finish(item.file_id, Status.FAILED, iso(ws.clock()), kind=meta["kind"],
                         outputs=[str(p) for p in failed], note=str(exc))
        return Outcome(Status.FAILED, item.unit, item.work.name, failed)
    if own:
        made += remake(ws, meta["own"], own, meta["versions"]) \
            or ws.ledger.drafts().get(meta["own"], {}).get("outputs", [])  # made by a refresh
    elif meta.get("own"):  # an answer pending from an earlier version: made with its receipt
        ws.ledger.refreshed(meta["own"], None, made[1:], iso(ws.clock()), meta["versions"])
    ws.ledger.delivered(item.file_id, made)
    retire_superseded(ws, item.unit, meta["kind"], item.file_id, meta["previous"],
                      set(output_paths(made)))
    put_away(item.work, item.file_id, Status.ACCEPTED, item.unit, ws)
    return Outcome(Status.ACCEPTED, item.unit, item.work.name, output_paths(made), problems)


def reject(item: Claimed, sub: Submission | None, problems: list[Problem],
           ws: Workspace) -> Outcome:
    """A file with errors: the error report (and a marked copy of a workbook) to its sender."""
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    docs = notices.error_report(ws.config, item.unit, item.work.name, sub, problems,
                                item.file_id, item.digest[:16], ws.clock(), item.stamp, folder,
                                ws.books.next_number(ws.clock().year, "PBL"))
    marked = annotate_workbook(item.work, problems) if item.work.suffix.lower() == ".xlsx" \
        and sub is not None else None
    if marked is not None:
        docs.append(Document("", {}, notices.annotated_name(folder, item.stamp, item.work.name),
                             "Bản sao tệp của đơn vị, các ô lỗi được tô màu và ghi chú", marked))
    made = deliver_all(docs, ws)
    ws.ledger.finish(item.file_id, Status.REJECTED, iso(ws.clock()), kind=sub.kind if sub else "",
                     problems=[p.__dict__ for p in problems], outputs=made)
    put_away(item.work, item.file_id, Status.REJECTED, item.unit, ws)
    return Outcome(Status.REJECTED, item.unit, item.work.name, output_paths(made), tuple(problems))


def take_issued_decision(item: Claimed, ws: Workspace) -> Outcome:
    """A signed decision from the office: recorded with its results notices, or reported."""
    taken = take_issued(item.work, item.work.name, ws)
    ws.ledger.finish(item.file_id, taken.status, iso(ws.clock()), kind="QĐ",
                     outputs=taken.outputs, stale=taken.stale, note=taken.note)
    put_away(item.work, item.file_id, taken.status, item.unit, ws)
    return Outcome(taken.status, item.unit, item.work.name, output_paths(taken.outputs))


def misfiled(item: Claimed, sub: Submission, owner: str, ws: Workspace) -> Outcome:
    """Another unit's file: both units are told in a line, nobody gets a copy of its content."""
    notes = notices.misfiled_notices(ws.config, sub, owner, item.file_id, ws.clock(), item.stamp)
    made = [ws.deliver(body.encode("utf-8"), ws.outbox / target) for target, body in notes]
    problem = Problem("unit.misfiled", f"Tệp của {ws.config.unit(owner).name} đặt nhầm vào thư "
                      f"mục của {ws.config.unit(item.unit).name}.", found=owner,
                      expected=f"thư mục inbox/{owner}/")
    ws.ledger.finish(item.file_id, "rejected", iso(ws.clock()), kind=sub.kind,
                     problems=[problem.__dict__], outputs=[str(p) for p in made],
                     note=f"tệp của {owner}")
    put_away(item.work, item.file_id, "rejected", item.unit, ws)
    return Outcome("rejected", item.unit, item.work.name, tuple(made), (problem,))


def duplicate(item: Claimed, earlier: FileRow, ws: Workspace) -> Outcome:
    """The same bytes as a file already finished: a line to the sender, nothing redone."""
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    target, body = notices.duplicate_notice(item.work.name, earlier, ws.clock(), item.stamp,
                                            folder)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, Status.DUPLICATE, iso(ws.clock()), outputs=[str(out)],
                     note=f"trùng tệp #{earlier.id}")
    put_away(item.work, item.file_id, Status.DUPLICATE, item.unit, ws)
    return Outcome(Status.DUPLICATE, item.unit, item.work.name, (out,))


def superseded(item: Claimed, newer_id: int, ws: Workspace) -> Outcome:
    """An older version (retried after a failure, or awaited attachments) never replaces a
    newer accepted one: the unit is told, the file archived."""
    newer, mine = ws.ledger.file(newer_id), ws.ledger.file(item.file_id)
    target, body = notices.superseded_notice(item.work.name, mine.received_at, newer,
                                             ws.clock(), item.stamp, item.unit)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, Status.SUPERSEDED, iso(ws.clock()), outputs=[str(out)],
                     note=f"cũ hơn tệp #{newer_id} đã tiếp nhận")
    put_away(item.work, item.file_id, "superseded", item.unit, ws)
    return Outcome("superseded", item.unit, item.work.name, (out,))


def keep_attachment(item: Claimed, ws: Workspace) -> Outcome:
    """A PDF dropped on its own: kept with the unit's attachments for the forms that name it."""
    dest = attachments.keep(item.work, ws.state("attachments") / item.unit,
                            ws.state("archive") / item.unit / "tep-kem-cu")
    ws.ledger.finish(item.file_id, Status.ATTACHMENT, iso(ws.clock()), stored_path=dest)
    ws.ledger.set_stored_path(item.file_id, dest)
    clear_work(item.work)
    return Outcome(Status.ATTACHMENT, item.unit, item.work.name, (dest,))


def wait_for_pdfs(item: Claimed, sub: Submission, missing: list, ws: Workspace) -> Outcome:
    """A valid form whose PDFs have not arrived yet stays claimed; the unit is told once."""
    target, body = notices.waiting_notice(sub.file_name, [c.value for c in missing],
                                          ws.config.intake.attachment_wait_minutes, item.stamp)
    out = ws.outbox / item.unit / target
    if not out.exists():
        ws.deliver(body.encode("utf-8"), out)
    ws.ledger.finish(item.file_id, Status.WAITING, iso(ws.clock()), kind=sub.kind,
                     outputs=[str(out)], note="chờ tệp đính kèm")
    return Outcome(Status.WAITING, item.unit, item.work.name, (out,))


def minutes_waited(row: FileRow | None, ws: Workspace) -> float:
    """Minutes since the file was first claimed."""
    if row is None:
        return 0.0
    first = dt.datetime.fromisoformat(row.received_at)
    return (ws.clock() - first).total_seconds() / 60


def report_failure(item: Claimed, exc: Exception, ws: Workspace) -> tuple[Path, ...]:
    """Tell the administrator why a file could not be finished; the report's path, if written."""
    target, body = notices.failure_report(item.unit, item.work.name, exc, ws.clock(), item.stamp)
    try:
        return (ws.deliver(body.encode("utf-8"), ws.outbox / ADMIN / target),)
    except OSError as again:  # the disk that failed the outputs may fail the report too
        log.error("Không ghi được báo cáo lỗi cho quản trị: %s; lỗi gốc: %s", again, exc)
        return ()


def fail(item: Claimed, exc: Exception, ws: Workspace) -> Outcome:
    """Not the sender's fault: the file stays claimed for a retry and the administrator is told."""
    outputs = report_failure(item, exc, ws)
    ws.ledger.finish(item.file_id, Status.FAILED, iso(ws.clock()),
                     outputs=[str(p) for p in outputs], note=str(exc))
    return Outcome(Status.FAILED, item.unit, item.work.name, outputs)


def output_paths(made: list[dict[str, str]]) -> tuple[Path, ...]:
    """Every file delivered (each document's .docx and .pdf)."""
    return tuple(Path(m[key]) for m in made for key in ("path", "pdf") if m.get(key))


def put_away(work: Path, file_id: int, status: str, unit: str, ws: Workspace) -> None:
    """Move the original out of the work area: archive, or rejected area; never deleted."""
    if not work.exists() and not work.is_symlink():
        return
    if status == Status.ATTACHMENT:
        dest = attachments.keep(work, ws.state("attachments") / unit,
                                ws.state("archive") / unit / "tep-kem-cu")
        ws.ledger.set_stored_path(file_id, dest)
    else:
        area = Status.REJECTED if status == Status.REJECTED else "archive"
        dest = free_name(ws.state(area) / (unit or "_goc") / ws.clock().strftime("%Y-%m")
                         / work.name)
        ws.ledger.set_stored_path(file_id, dest)  # first: a crash after the move still finds it
        store(work, dest.parent, dest.name)
    clear_work(work)


def clear_work(work: Path) -> None:
    """Remove what docflow itself derived in a work folder (unzipped, converted copies)."""
    if work.parent.is_dir() and not work.exists():
        shutil.rmtree(work.parent, ignore_errors=True)


def unknown_unit(unit: str) -> Problem:
    """The problem of a file outside any unit's folder, or in a folder no unit owns."""
    if not unit:
        return Problem("unit.no_folder", "Tệp được đặt thẳng vào thư mục inbox, không thuộc "
                       "thư mục đơn vị nào.", expected="đặt tệp vào inbox/<MÃ ĐƠN VỊ>/")
    return Problem("unit.unknown_folder", f"Thư mục “{unit}” không phải mã đơn vị nào trong "
                   "danh mục.", found=unit, expected="thư mục inbox/<MÃ ĐƠN VỊ> đã được cấp")


def link_refused(name: str, unit: str) -> Problem:
    """The problem of a symbolic link dropped in place of a file."""
    return Problem("intake.link", f"“{name}” là một liên kết (symlink) trỏ tới nơi khác, không "
                   "phải tệp thật; docflow không mở tệp qua liên kết.",
                   expected=f"chép chính tệp (không phải liên kết) vào thư mục inbox/{unit}/")


def iso(now: dt.datetime) -> str:
    """A ledger timestamp, to the second."""
    return now.isoformat(timespec="seconds")

