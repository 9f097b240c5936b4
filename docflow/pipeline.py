"""Orchestration only: take one file from the inbox to its outputs, its ledger row and its archive."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from docflow.validation import attachments

from docflow.documents import notices
from docflow.documents import annotate_workbook
from docflow.errors import DocflowError, IntakeError, LedgerError
from docflow.forms import UNZIPPED, read_form
from docflow.store import claim, free_name, sha256, store, sweep_parts
from docflow.store import FileRow
from docflow.store import unit_of, waiting
from docflow.models import Problem, Submission, Validation
from docflow.delivery import deliver_all
from docflow.documents import describe, draft_versions, stale_keys, unit_documents, unit_key
from docflow.drafts import refresh_aggregates  # noqa: F401 - also the public way in
from docflow.documents import Document
from docflow.validation import validate
from docflow.workspace import Workspace

ADMIN = "_quan-tri"
STATUS_WORDS = {"accepted": "tiếp nhận", "rejected": "trả lại (có lỗi)",
                "duplicate": "trùng, bỏ qua", "failed": "chưa xử lý được (xem outbox/_quan-tri/)",
                "waiting": "hợp lệ, đang chờ tệp PDF đính kèm",
                "attachment": "tệp đính kèm, đã lưu"}
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


def claim_inbox_file(path: Path, ws: Workspace) -> tuple[Path, str]:
    """Move a file from the inbox into its work folder; returns where it is and whose it is."""
    folder = unit_of(path, ws.inbox)
    known = ws.config.unit(folder) if folder else None
    unit = known.code if known else folder  # inbox/snv/ is SNV's folder: one outbox, one code
    work = claim(path, ws.state("work") / (unit or "_goc"), ws.clock().strftime("%Y%m%d-%H%M%S"))
    return work, unit


def process_inbox_file(path: Path, ws: Workspace) -> Outcome:
    """Claim a file from the inbox and process it."""
    work, unit = claim_inbox_file(path, ws)
    return process_claimed(work, unit, ws)


def process_all(ws: Workspace) -> list[Outcome]:
    """Everything claimed before and everything in the inbox now, the forms left waiting, and
    then the province-wide drafts, each remade once."""
    outcomes = resume(ws) + [process_inbox_file(p, ws) for p in waiting(ws.inbox)]
    if any(o.status == "waiting" for o in outcomes):  # their PDFs may have come later in the batch
        outcomes += resume(ws)
    refresh_aggregates(ws)
    return outcomes


def recover(ws: Workspace) -> list[tuple[Path, str]]:
    """Clear temporaries a crash left half-written; list files claimed but not finished."""
    sweep_parts(ws.outbox)
    sweep_parts(ws.state("staging"))
    root = ws.state("work")
    claimed = sorted(root.glob("*/*/*")) if root.is_dir() else []
    return [(p, "" if p.parent.parent.name == "_goc" else p.parent.parent.name)
            for p in claimed if p.is_file() and not p.name.startswith(".")]


def resume(ws: Workspace) -> list[Outcome]:
    """Finish every file claimed before a stop or a crash."""
    return [process_claimed(work, unit, ws) for work, unit in recover(ws)]


def process_claimed(work: Path, unit: str, ws: Workspace) -> Outcome:
    """Process a claimed file exactly once; safe to call again after a crash at any point."""
    row = ws.ledger.by_work_path(work)
    if row and row.status in ("accepted", "rejected", "duplicate", "attachment"):
        _put_away(work, row.id, row.status, unit, ws)
        return Outcome(row.status, unit, work.name, tuple(Path(p) for p in row.outputs))
    digest = sha256(work)
    file_id = row.id if row else ws.ledger.begin_file(unit, work.name, digest, work,
                                                      _iso(ws.clock()))
    item = Claimed(work, unit, file_id, digest)
    earlier = ws.ledger.finished_with_hash(unit, digest)
    if earlier and earlier.id != file_id:
        return _duplicate(item, earlier, ws)
    try:
        if ws.config.unit(unit) is None:
            return _reject(item, None, [_unknown_unit(unit)], ws)
        if work.suffix.lower() == ".pdf":
            return _attachment(item, ws)
        sub = read_form(work, unit, ws.config.forms, ws.config.intake)
        pdfs = attachments.find(sub, [work.parent / UNZIPPED, ws.state("attachments") / unit])
        # Validation against the campaign and acceptance are one step: two files must not both
        # pass a quota or a duplicate check that only one of them may pass.
        with ws.aggregate_lock:
            current = [a.record for a in ws.ledger.current(sub.kind)]
            validation = validate(sub, ws.config.forms[sub.kind], ws.config, current)
            problems = [*validation.problems, *pdfs.problems]
            if pdfs.missing:
                wait = ws.config.intake.attachment_wait_minutes
                if not any(p.is_error for p in problems) and _waited(row, ws) < wait:
                    return _wait(item, sub, pdfs.missing, ws)
                problems += attachments.missing_problems(pdfs.missing, wait)
            if not any(p.is_error for p in problems):
                return _accept(item, sub, replace(validation, problems=tuple(problems)), pdfs, ws)
        return _reject(item, sub, problems, ws)
    except IntakeError as exc:
        return _reject(item, None, [Problem(exc.code, exc.message_vi)], ws)
    except LedgerError:
        raise  # nothing can be recorded: the file stays claimed and is resumed at next start
    except (DocflowError, OSError) as exc:
        return _fail(item, exc, ws)
    except Exception:  # noqa: BLE001 - a crafted file must never stop the inbox
        log.exception("Tệp %s làm bộ đọc lỗi", work.name)
        return _reject(item, None, [Problem(
            "intake.unreadable", f"Không đọc được tệp “{work.name}”: tệp hỏng hoặc có nội dung "
            "lạ. Hãy mở bằng Excel/Word, lưu lại rồi gửi lại.")], ws)


def _accept(item: Claimed, sub: Submission, validation: Validation,
            pdfs: attachments.Attachments, ws: Workspace) -> Outcome:
    """Called under the aggregate lock: no other worker's rows can be missing from the drafts."""
    record = validation.record
    attachments.copy_in(pdfs.found, ws.state("attachments") / item.unit,
                        ws.state("archive") / item.unit / "tep-kem-cu")
    if pdfs.found:
        sub = replace(sub, notes=(*sub.notes, "Tệp báo cáo thành tích đã nhận: "
                                  + ", ".join(sorted(pdfs.found)) + "."))
    previous = ws.ledger.current_for(record.unit, record.kind, record.period)
    earlier = previous.record if previous else None
    own = unit_documents(record, earlier, ws.config, ws.clock().date(),
                         ws.state("attachments"))
    stale = stale_keys(record, earlier, ws.config)
    fed = [f"{d.title} (tệp {d.target})" for d in own] + [describe(k, ws.config) for k in stale]
    receipt = notices.receipt(ws.config, sub, validation, item.file_id, item.digest[:16],
                              ws.clock(), item.stamp, previous.accepted_at if previous else None,
                              fed, ws.ledger.serial(item.file_id, "accepted", ws.clock().year))
    made = deliver_all([receipt, *own], ws)
    ws.ledger.finish(item.file_id, "accepted", _iso(ws.clock()), kind=sub.kind, record=record,
                     outputs=made, stale=stale,
                     problems=[p.__dict__ for p in validation.warnings])
    if own:  # the unit's own drafts: remade later when config or templates change
        key = unit_key(record)
        ws.ledger.refreshed(key, None, made[1:], _iso(ws.clock()),
                            draft_versions(key, ws.config, ws.renderer.template_hash))
    _put_away(item.work, item.file_id, "accepted", item.unit, ws)
    return Outcome("accepted", item.unit, item.work.name, _paths(made), validation.problems)


def _reject(item: Claimed, sub: Submission | None, problems: list[Problem],
            ws: Workspace) -> Outcome:
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    docs = notices.error_report(ws.config, item.unit, item.work.name, sub, problems,
                                item.file_id, item.digest[:16], ws.clock(), item.stamp, folder,
                                ws.ledger.serial(item.file_id, "rejected", ws.clock().year))
    marked = annotate_workbook(item.work, problems) if item.work.suffix.lower() == ".xlsx" \
        and sub is not None else None
    if marked is not None:
        docs.append(Document("", {}, notices.annotated_name(folder, item.stamp, item.work.name),
                             "Bản sao tệp của đơn vị, các ô lỗi được tô màu và ghi chú", marked))
    made = deliver_all(docs, ws)
    ws.ledger.finish(item.file_id, "rejected", _iso(ws.clock()), kind=sub.kind if sub else "",
                     problems=[p.__dict__ for p in problems], outputs=made)
    _put_away(item.work, item.file_id, "rejected", item.unit, ws)
    return Outcome("rejected", item.unit, item.work.name, _paths(made), tuple(problems))


def _duplicate(item: Claimed, earlier: FileRow, ws: Workspace) -> Outcome:
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    target, body = notices.duplicate_notice(item.work.name, earlier, ws.clock(), item.stamp,
                                            folder)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, "duplicate", _iso(ws.clock()), outputs=[str(out)],
                     note=f"trùng tệp #{earlier.id}")
    _put_away(item.work, item.file_id, "duplicate", item.unit, ws)
    return Outcome("duplicate", item.unit, item.work.name, (out,))


def _attachment(item: Claimed, ws: Workspace) -> Outcome:
    """A PDF dropped on its own: kept with the unit's attachments for the forms that name it."""
    dest = attachments.keep(item.work, ws.state("attachments") / item.unit,
                            ws.state("archive") / item.unit / "tep-kem-cu")
    ws.ledger.finish(item.file_id, "attachment", _iso(ws.clock()), stored_path=dest)
    ws.ledger.set_stored_path(item.file_id, dest)
    _clear(item.work)
    return Outcome("attachment", item.unit, item.work.name, (dest,))


def _wait(item: Claimed, sub: Submission, missing: list, ws: Workspace) -> Outcome:
    """A valid form whose PDFs have not arrived yet stays claimed; the unit is told once."""
    target, body = notices.waiting_notice(sub.file_name, [c.value for c in missing],
                                          ws.config.intake.attachment_wait_minutes, item.stamp)
    out = ws.outbox / item.unit / target
    if not out.exists():
        ws.deliver(body.encode("utf-8"), out)
    ws.ledger.finish(item.file_id, "waiting", _iso(ws.clock()), kind=sub.kind,
                     outputs=[str(out)], note="chờ tệp đính kèm")
    return Outcome("waiting", item.unit, item.work.name, (out,))


def _waited(row: FileRow | None, ws: Workspace) -> float:
    """Minutes since the file was first claimed."""
    if row is None:
        return 0.0
    first = dt.datetime.fromisoformat(row.received_at)
    return (ws.clock() - first).total_seconds() / 60


def _fail(item: Claimed, exc: Exception, ws: Workspace) -> Outcome:
    """Not the sender's fault: the file stays claimed for a retry and the administrator is told."""
    target, body = notices.failure_report(item.unit, item.work.name, exc, ws.clock(), item.stamp)
    outputs: tuple[Path, ...] = ()
    try:
        outputs = (ws.deliver(body.encode("utf-8"), ws.outbox / ADMIN / target),)
    except OSError as again:  # the disk that failed the outputs may fail the report too
        log.error("Không ghi được báo cáo lỗi cho quản trị: %s; lỗi gốc: %s", again, exc)
    ws.ledger.finish(item.file_id, "failed", _iso(ws.clock()),
                     outputs=[str(p) for p in outputs], note=str(exc))
    return Outcome("failed", item.unit, item.work.name, outputs)


def _paths(made: list[dict[str, str]]) -> tuple[Path, ...]:
    return tuple(Path(m[key]) for m in made for key in ("path", "pdf") if m.get(key))


def _put_away(work: Path, file_id: int, status: str, unit: str, ws: Workspace) -> None:
    """Move the original out of the work area: archive, or rejected area; never deleted."""
    if not work.exists():
        return
    if status == "attachment":
        dest = attachments.keep(work, ws.state("attachments") / unit,
                                ws.state("archive") / unit / "tep-kem-cu")
        ws.ledger.set_stored_path(file_id, dest)
    else:
        area = "rejected" if status == "rejected" else "archive"
        dest = free_name(ws.state(area) / (unit or "_goc") / ws.clock().strftime("%Y-%m")
                         / work.name)
        ws.ledger.set_stored_path(file_id, dest)  # first: a crash after the move still finds it
        store(work, dest.parent, dest.name)
    _clear(work)


def _clear(work: Path) -> None:
    """Remove what docflow itself derived in a work folder (unzipped, converted copies)."""
    if work.parent.is_dir() and not work.exists():
        shutil.rmtree(work.parent, ignore_errors=True)


def _unknown_unit(unit: str) -> Problem:
    if not unit:
        return Problem("unit.no_folder", "Tệp được đặt thẳng vào thư mục inbox, không thuộc "
                       "thư mục đơn vị nào.", expected="đặt tệp vào inbox/<MÃ ĐƠN VỊ>/")
    return Problem("unit.unknown_folder", f"Thư mục “{unit}” không phải mã đơn vị nào trong "
                   "danh mục.", found=unit, expected="thư mục inbox/<MÃ ĐƠN VỊ> đã được cấp")


def _iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")

