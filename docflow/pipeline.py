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
from docflow.config import Config
from docflow.errors import DocflowError, IntakeError, LedgerError
from docflow.forms import UNZIPPED, read_form
from docflow.store import claim, free_name, sha256, store, sweep_parts
from docflow.store import FileRow
from docflow.store import unit_of, waiting
from docflow.models import Problem, Status, Submission, Validation
from docflow.delivery import deliver_all
from docflow.documents import (aggregate_documents, describe, feeding_form, stale_keys,
                               unit_documents)
from docflow.documents import Document, documents_from_json, documents_to_json
from docflow.history_hooks import history_view, into_register
from docflow.text import slug
from docflow.validation import validate
from docflow.workspace import Workspace

ADMIN = "_quan-tri"
CAMPAIGN = "campaign"  # the lease under which validation against the campaign and acceptance run
STATUS_WORDS = {Status.ACCEPTED: "tiếp nhận", Status.REJECTED: "trả lại (có lỗi)",
                Status.DUPLICATE: "trùng, bỏ qua", Status.FAILED: "chưa xử lý được (xem outbox/_quan-tri/)",
                Status.WAITING: "hợp lệ, đang chờ tệp PDF đính kèm",
                Status.ATTACHMENT: "tệp đính kèm, đã lưu"}
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
    outcomes = resume(ws) + [o for p in waiting(ws.inbox) if (o := _take(p, ws)) is not None]
    if any(o.status == Status.WAITING for o in outcomes):  # their PDFs may have come later in the batch
        outcomes += resume(ws)
    refresh_aggregates(ws)
    return outcomes


def _take(path: Path, ws: Workspace) -> Outcome | None:
    """Process an inbox file unless another process (`watch`, a second `run`) took it first."""
    try:
        work, unit = claim_inbox_file(path, ws)
    except FileNotFoundError:
        return None
    return process_claimed(work, unit, ws)


def refresh_aggregates(ws: Workspace) -> list[Path]:
    """Remake every stale province-wide draft from the ledger; safe to call at any time."""
    made: list[Path] = []
    with ws.ledger.lease("refresh"):  # one refresher at a time; acceptances go on meanwhile
        for key, version in ws.ledger.stale().items():
            with ws.ledger.lease(CAMPAIGN):  # a consistent snapshot of the current versions
                docs = aggregate_documents(
                    key, ws.config, [a.record for a in ws.ledger.current(feeding_form(key))],
                    ws.clock().date(), ws.state("attachments"))
            try:
                entries = deliver_all(docs, ws)
            except (DocflowError, OSError) as exc:
                _fail_refresh(key, exc, ws)
                continue
            ws.ledger.refreshed(key, version, entries, _iso(ws.clock()))
            made += _paths(entries)
    return made


def recover(config: Config) -> list[tuple[Path, str]]:
    """Clear temporaries a crash left half-written; list files claimed but not finished."""
    state = config.path("state")
    sweep_parts(config.path("outbox"))
    sweep_parts(state / "staging")
    root = state / "work"
    claimed = sorted(root.glob("*/*/*")) if root.is_dir() else []
    return [(p, "" if p.parent.parent.name == "_goc" else p.parent.parent.name)
            for p in claimed if p.is_file() and not p.name.startswith(".")]


def resume(ws: Workspace) -> list[Outcome]:
    """Finish every file claimed before a stop or a crash."""
    return [process_claimed(work, unit, ws) for work, unit in recover(ws.config)]


def process_claimed(work: Path, unit: str, ws: Workspace) -> Outcome:
    """Process a claimed file exactly once; safe to call again after a crash at any point, and
    from several processes at once (`run` beside `watch`): one file of a unit at a time, by a
    lease in the ledger, so versions are accepted in the order they were claimed."""
    with ws.ledger.lease(f"unit:{unit}"):
        return _process_claimed(work, unit, ws)


def _process_claimed(work: Path, unit: str, ws: Workspace) -> Outcome:
    row = ws.ledger.by_work_path(work)
    if row and Status(row.status).final:
        pending = ws.ledger.pending(row.id) if row.status == Status.ACCEPTED else None
        if pending is not None:  # accepted before a stop, its answer not yet out
            return _deliver_accepted(Claimed(work, unit, row.id, row.sha256),
                                     documents_from_json(pending), (), ws)
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
        sub = read_form(work, unit, ws.config.forms, ws.config.intake, ws.converter,
                        ws.config.output.soffice)
        pdfs = attachments.find(sub, [work.parent / UNZIPPED, ws.state("attachments") / unit])
        # Validation against the campaign and acceptance are one step: two files must not both
        # pass a quota or a duplicate check that only one of them may pass.
        # Only the checks and the ledger write hold the lease; rendering, conversion and delivery
        # of the answer come after it, so one heavy file does not hold up every other unit.
        with ws.ledger.lease(CAMPAIGN):
            current = [a.record for a in ws.ledger.current(sub.kind)]
            validation = validate(sub, ws.config.forms[sub.kind], ws.config, current,
                                  history_view(sub, ws))
            problems = [*validation.problems, *pdfs.problems]
            if pdfs.missing:
                wait = ws.config.intake.attachment_wait_minutes
                if not any(p.is_error for p in problems) and _waited(row, ws) < wait:
                    return _wait(item, sub, pdfs.missing, ws)
                problems += attachments.missing_problems(pdfs.missing, wait)
            accepted = None
            if not any(p.is_error for p in problems):
                sub, validation = into_register(sub, validation, ws, item.file_id,
                                                f"{item.unit}/{item.work.name}")
                accepted = _accept(item, sub, replace(validation, problems=tuple(problems)),
                                   pdfs, ws)
        if accepted is None:
            return _reject(item, sub, problems, ws)
        return _deliver_accepted(item, accepted, tuple(problems), ws)
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
            pdfs: attachments.Attachments, ws: Workspace) -> list[Document]:
    """Called under the campaign lease: the record becomes current with the drafts it changes
    marked stale, and its answer is written down to deliver; returns that answer."""
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
                              fed)
    docs = [receipt, *own]
    ws.ledger.finish(item.file_id, Status.ACCEPTED, _iso(ws.clock()), kind=sub.kind, record=record,
                     stale=stale, problems=[p.__dict__ for p in validation.warnings],
                     pending=documents_to_json(docs))
    return docs


def _deliver_accepted(item: Claimed, docs: list[Document], problems: tuple[Problem, ...],
                      ws: Workspace) -> Outcome:
    """The answer of an accepted file, out of the campaign lease. If it cannot be delivered
    (a full disk), the file stays accepted with its answer pending: the administrator is told
    and the next attempt delivers it; the record is never taken back."""
    try:
        made = deliver_all(docs, ws)
    except (DocflowError, OSError) as exc:
        failed = _report_failure(item, exc, ws)
        return Outcome(Status.FAILED, item.unit, item.work.name, failed)
    ws.ledger.delivered(item.file_id, made)
    _put_away(item.work, item.file_id, Status.ACCEPTED, item.unit, ws)
    return Outcome(Status.ACCEPTED, item.unit, item.work.name, _paths(made), problems)


def _reject(item: Claimed, sub: Submission | None, problems: list[Problem],
            ws: Workspace) -> Outcome:
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    docs = notices.error_report(ws.config, item.unit, item.work.name, sub, problems,
                                item.file_id, item.digest[:16], ws.clock(), item.stamp, folder)
    marked = annotate_workbook(item.work, problems) if item.work.suffix.lower() == ".xlsx" \
        and sub is not None else None
    if marked is not None:
        docs.append(Document("", {}, notices.annotated_name(folder, item.stamp, item.work.name),
                             "Bản sao tệp của đơn vị, các ô lỗi được tô màu và ghi chú", marked))
    made = deliver_all(docs, ws)
    ws.ledger.finish(item.file_id, Status.REJECTED, _iso(ws.clock()), kind=sub.kind if sub else "",
                     problems=[p.__dict__ for p in problems], outputs=made)
    _put_away(item.work, item.file_id, Status.REJECTED, item.unit, ws)
    return Outcome(Status.REJECTED, item.unit, item.work.name, _paths(made), tuple(problems))


def _duplicate(item: Claimed, earlier: FileRow, ws: Workspace) -> Outcome:
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    target, body = notices.duplicate_notice(item.work.name, earlier, ws.clock(), item.stamp,
                                            folder)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, Status.DUPLICATE, _iso(ws.clock()), outputs=[str(out)],
                     note=f"trùng tệp #{earlier.id}")
    _put_away(item.work, item.file_id, Status.DUPLICATE, item.unit, ws)
    return Outcome(Status.DUPLICATE, item.unit, item.work.name, (out,))


def _fail_refresh(key: str, exc: Exception, ws: Workspace) -> None:
    """A draft that could not be remade stays stale and the administrator is told."""
    now = ws.clock()
    body = (f"Chưa cập nhật được văn bản tổng hợp “{describe(key, ws.config)}” lúc {now:%H:%M} ngày "
            f"{now:%d/%m/%Y}.\nNguyên nhân: {exc}\nVăn bản sẽ được lập lại ở lần xử lý sau.\n")
    try:
        ws.deliver(body.encode("utf-8"), ws.outbox / ADMIN / f"Loi-cap-nhat-{slug(key)}.txt")
    except OSError as again:
        log.error("Không ghi được báo cáo cho quản trị: %s; lỗi gốc: %s", again, exc)


def _attachment(item: Claimed, ws: Workspace) -> Outcome:
    """A PDF dropped on its own: kept with the unit's attachments for the forms that name it."""
    dest = attachments.keep(item.work, ws.state("attachments") / item.unit,
                            ws.state("archive") / item.unit / "tep-kem-cu")
    ws.ledger.finish(item.file_id, Status.ATTACHMENT, _iso(ws.clock()), stored_path=dest)
    ws.ledger.set_stored_path(item.file_id, dest)
    _clear(item.work)
    return Outcome(Status.ATTACHMENT, item.unit, item.work.name, (dest,))


def _wait(item: Claimed, sub: Submission, missing: list, ws: Workspace) -> Outcome:
    """A valid form whose PDFs have not arrived yet stays claimed; the unit is told once."""
    target, body = notices.waiting_notice(sub.file_name, [c.value for c in missing],
                                          ws.config.intake.attachment_wait_minutes, item.stamp)
    out = ws.outbox / item.unit / target
    if not out.exists():
        ws.deliver(body.encode("utf-8"), out)
    ws.ledger.finish(item.file_id, Status.WAITING, _iso(ws.clock()), kind=sub.kind,
                     outputs=[str(out)], note="chờ tệp đính kèm")
    return Outcome(Status.WAITING, item.unit, item.work.name, (out,))


def _waited(row: FileRow | None, ws: Workspace) -> float:
    """Minutes since the file was first claimed."""
    if row is None:
        return 0.0
    first = dt.datetime.fromisoformat(row.received_at)
    return (ws.clock() - first).total_seconds() / 60


def _report_failure(item: Claimed, exc: Exception, ws: Workspace) -> tuple[Path, ...]:
    """Tell the administrator why a file could not be finished; the report's path, if written."""
    target, body = notices.failure_report(item.unit, item.work.name, exc, ws.clock(), item.stamp)
    try:
        return (ws.deliver(body.encode("utf-8"), ws.outbox / ADMIN / target),)
    except OSError as again:  # the disk that failed the outputs may fail the report too
        log.error("Không ghi được báo cáo lỗi cho quản trị: %s; lỗi gốc: %s", again, exc)
        return ()


def _fail(item: Claimed, exc: Exception, ws: Workspace) -> Outcome:
    """Not the sender's fault: the file stays claimed for a retry and the administrator is told."""
    outputs = _report_failure(item, exc, ws)
    ws.ledger.finish(item.file_id, Status.FAILED, _iso(ws.clock()),
                     outputs=[str(p) for p in outputs], note=str(exc))
    return Outcome(Status.FAILED, item.unit, item.work.name, outputs)


def _paths(made: list[dict[str, str]]) -> tuple[Path, ...]:
    return tuple(Path(m[key]) for m in made for key in ("path", "pdf") if m.get(key))


def _put_away(work: Path, file_id: int, status: str, unit: str, ws: Workspace) -> None:
    """Move the original out of the work area: archive, or rejected area; never deleted."""
    if not work.exists():
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

