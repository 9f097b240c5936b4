"""Orchestration only: take one file from the inbox to its outputs, its ledger row and its archive."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

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
from docflow.catalog import ISSUED_FOLDER
from docflow.awarding import (already_awarded, history_view, into_register,
                              take_issued)
from docflow.delivery import deliver_all
from docflow.delivery import retire_superseded
from docflow.store import answer_nested
from docflow.documents import (describe, draft_versions, stale_keys, also_stale, unit_documents,
                               unit_key)
from docflow.documents import Document, documents_from_json, documents_to_json
from docflow.drafts import CAMPAIGN, refresh_aggregates
from docflow.validation import owner_elsewhere, validate
from docflow.workspace import Workspace

ADMIN = "_quan-tri"
STATUS_WORDS = {Status.ACCEPTED: "tiếp nhận", Status.REJECTED: "trả lại (có lỗi)",
                Status.DUPLICATE: "trùng, bỏ qua",
                Status.FAILED: "chưa xử lý được (xem outbox/_quan-tri/)",
                Status.WAITING: "hợp lệ, đang chờ tệp PDF đính kèm",
                Status.ATTACHMENT: "tệp đính kèm, đã lưu",
                Status.NESTED: "nằm trong thư mục con, không xử lý (đơn vị đã được báo)",
                Status.SUPERSEDED: "bản cũ hơn bản đã tiếp nhận, không thay (đơn vị đã được báo)"}
log = logging.getLogger("docflow")
# (files done, files in all, the file just done, or None once all are done and drafts follow)
ProgressHook = Callable[[int, int, "Outcome | None"], None]


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


def process_all(ws: Workspace, progress: ProgressHook | None = None) -> list[Outcome]:
    """Everything claimed before and everything in the inbox now, the forms left waiting, and
    then the province-wide drafts, each remade once; `progress(done, total, outcome)` hears of
    each file, then once with outcome None before the drafts are remade."""
    resumed = resume(ws)
    files = waiting(ws.inbox)
    total = len(resumed) + len(files)
    outcomes: list[Outcome] = []

    def note(outcome: Outcome | None) -> None:
        if outcome is None:  # taken first by another process (`watch`, a second `run`)
            return
        outcomes.append(outcome)
        if progress is not None:
            progress(len(outcomes), max(total, len(outcomes)), outcome)

    for outcome in resumed:
        note(outcome)
    for path in files:
        note(take_inbox_file(path, ws))
    if any(o.status == Status.WAITING for o in outcomes):  # their PDFs may have come later
        for outcome in resume(ws):
            note(outcome)
    if progress is not None:
        progress(len(outcomes), len(outcomes), None)
    for unit, name, out in answer_nested(ws.config):
        note(Outcome(Status.NESTED, unit, name, (out,)))
    refresh_aggregates(ws)
    return outcomes


def take_inbox_file(path: Path, ws: Workspace,
                    claimed: Callable[[Path, str], None] = lambda work, unit: None
                    ) -> Outcome | None:
    """Claim and process one inbox file, telling `claimed` where it went; None when another
    process (a watcher's worker, a second `run`, the sender) took it first."""
    try:
        work, unit = claim_inbox_file(path, ws)
    except FileNotFoundError:
        log.info("Tệp %s đã được một tiến trình docflow khác nhận, bỏ qua.", path.name)
        return None
    claimed(work, unit)
    return process_claimed(work, unit, ws)


def count_documents(paths: list[Path] | list[str]) -> int:
    """Documents, not files: a draft's .docx and its .pdf are one document to the office."""
    return len({str(Path(p).with_suffix("")) for p in paths})


def recover(config: Config) -> list[tuple[Path, str]]:
    """Clear temporaries a crash left half-written; list files claimed but not finished."""
    state = config.path("state")
    sweep_parts(config.path("outbox"))
    sweep_parts(state / "staging")
    root = state / "work"
    claimed = sorted(root.glob("*/*/*")) if root.is_dir() else []
    # work/<unit>/<claim>/<file>; dot folders are docflow's own scratch (the PDF converter's
    # work/.pdf/), never a unit. A claimed link is listed, to be refused.
    return [(p, "" if p.parent.parent.name == "_goc" else p.parent.parent.name)
            for p in claimed if (p.is_file() or p.is_symlink()) and not p.name.startswith(".")
            and not p.parent.parent.name.startswith(".")]


def resume(ws: Workspace) -> list[Outcome]:
    """Finish every file claimed before a stop or a crash."""
    # A file another process finished meanwhile has left the work area: nothing to resume.
    return [process_claimed(work, unit, ws) for work, unit in recover(ws.config) if work.exists()]


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
            docs, meta = documents_from_json(pending)
            return _deliver_accepted(Claimed(work, unit, row.id, row.sha256), docs, meta, (), ws)
        _put_away(work, row.id, row.status, unit, ws)
        return Outcome(row.status, unit, work.name, tuple(Path(p) for p in row.outputs))
    link = work.is_symlink()  # never followed: it may point at another unit's files
    digest = hashlib.sha256(os.readlink(work).encode("utf-8", "surrogateescape")).hexdigest() \
        if link else sha256(work)
    file_id = row.id if row else ws.ledger.begin_file(unit, work.name, digest, work,
                                                      _iso(ws.clock()))
    item = Claimed(work, unit, file_id, digest)
    earlier = ws.ledger.finished_with_hash(unit, digest)
    if earlier and earlier.id != file_id:
        return _duplicate(item, earlier, ws)
    try:
        if unit == ISSUED_FOLDER:
            return _issued(item, ws)
        if ws.config.unit(unit) is None:
            return _reject(item, None, [_unknown_unit(unit)], ws)
        if link:
            return _reject(item, None, [_link_refused(work.name, unit)], ws)
        if work.suffix.lower() == ".pdf":
            return _attachment(item, ws)
        sub = read_form(work, unit, ws.config.forms, ws.config.intake, ws.converter,
                        ws.config.output.soffice)
        owner = owner_elsewhere(sub, ws.config.forms[sub.kind], ws.config)
        if owner is not None:
            return _misfiled(item, sub, owner.code, ws)
        pdfs = attachments.find(sub, [work.parent / UNZIPPED, ws.state("attachments") / unit])
        # Validation against the campaign and acceptance are one step: two files must not both
        # pass a quota or a duplicate check that only one of them may pass.
        # Only the checks and the ledger write hold the lease; rendering, conversion and delivery
        # of the answer come after it, so one heavy file does not hold up every other unit.
        with ws.ledger.lease(CAMPAIGN):
            current = [a.record for a in ws.ledger.current(sub.kind)]
            validation = validate(sub, ws.config.forms[sub.kind], ws.config, current,
                                  history_view(sub, ws))
            problems = [*validation.problems, *pdfs.problems,
                        *already_awarded(validation.record, ws)]
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
        if isinstance(accepted, Outcome):  # an older version, after a newer one was accepted
            return accepted
        docs, meta = accepted
        return _deliver_accepted(item, docs, meta, tuple(problems), ws)
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
            pdfs: attachments.Attachments, ws: Workspace) -> tuple[list[Document], dict] | Outcome:
    """Called under the campaign lease: the record becomes current with the drafts it changes
    marked stale, and its answer is written down to deliver; returns that answer (or, for an
    older version than the current one, its outcome)."""
    record = validation.record
    previous = ws.ledger.current_for(record.unit, record.kind, record.period)
    if previous and previous.file_id > item.file_id:  # claimed later: a newer version
        return _superseded(item, previous.file_id, ws)
    attachments.copy_in(pdfs.found, ws.state("attachments") / item.unit,
                        ws.state("archive") / item.unit / "tep-kem-cu")
    if pdfs.found:
        sub = replace(sub, notes=(*sub.notes, *attachments.notes(pdfs)))
    earlier = previous.record if previous else None
    own = unit_documents(record, earlier, ws.config, ws.clock().date(),
                         ws.state("attachments"))
    stale = stale_keys(record, earlier, ws.config) + also_stale(record, ws.ledger.draft_keys())
    fed = [f"{d.title} (tệp {d.target})" for d in own] + [describe(k, ws.config) for k in stale]
    receipt = notices.receipt(ws.config, sub, validation, item.file_id, item.digest[:16],
                              ws.clock(), item.stamp, previous.accepted_at if previous else None,
                              fed, ws.books.next_number(ws.clock().year, "PTN"))
    docs = [receipt, *own]
    previous_id = previous.file_id if previous else None
    key = unit_key(record) if own else ""  # the unit's own drafts follow config changes
    versions = draft_versions(key, ws.config, ws.renderer.template_hash) if own else None
    ws.ledger.finish(item.file_id, Status.ACCEPTED, _iso(ws.clock()), kind=sub.kind, record=record,
                     stale=stale, problems=[p.__dict__ for p in validation.warnings],
                     pending=documents_to_json(docs, meta := {
                         "kind": sub.kind, "previous": previous_id, "own": key,
                         "versions": versions}))
    return docs, meta


def _deliver_accepted(item: Claimed, docs: list[Document], meta: dict,
                      problems: tuple[Problem, ...], ws: Workspace) -> Outcome:
    """The answer of an accepted file, out of the campaign lease. If it cannot be delivered
    (a full disk), the administrator is told and the file is failed, to be tried again; a crash
    before the answer is out leaves it accepted with the answer pending, delivered on resume."""
    try:
        made = deliver_all(docs, ws)
    except (DocflowError, OSError) as exc:
        # The record stays current (the campaign's checks counted it); the file is failed, so
        # a retry processes it again: its answer then, or "superseded" if a newer one came.
        failed = _report_failure(item, exc, ws)
        ws.ledger.finish(item.file_id, Status.FAILED, _iso(ws.clock()), kind=meta["kind"],
                         outputs=[str(p) for p in failed], note=str(exc))
        return Outcome(Status.FAILED, item.unit, item.work.name, failed)
    ws.ledger.delivered(item.file_id, made)
    if meta.get("own"):  # recorded as drafts, remade later when config or templates change
        ws.ledger.refreshed(meta["own"], None, made[1:], _iso(ws.clock()), meta["versions"])
    retire_superseded(ws, item.unit, meta["kind"], item.file_id, meta["previous"],
                      set(_paths(made)))
    _put_away(item.work, item.file_id, Status.ACCEPTED, item.unit, ws)
    return Outcome(Status.ACCEPTED, item.unit, item.work.name, _paths(made), problems)


def _reject(item: Claimed, sub: Submission | None, problems: list[Problem],
            ws: Workspace) -> Outcome:
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
    ws.ledger.finish(item.file_id, Status.REJECTED, _iso(ws.clock()), kind=sub.kind if sub else "",
                     problems=[p.__dict__ for p in problems], outputs=made)
    _put_away(item.work, item.file_id, Status.REJECTED, item.unit, ws)
    return Outcome(Status.REJECTED, item.unit, item.work.name, _paths(made), tuple(problems))


def _issued(item: Claimed, ws: Workspace) -> Outcome:
    """A signed decision from the office: recorded with its results notices, or reported."""
    taken = take_issued(item.work, item.work.name, ws)
    ws.ledger.finish(item.file_id, taken.status, _iso(ws.clock()), kind="QĐ",
                     outputs=taken.outputs, stale=taken.stale, note=taken.note)
    _put_away(item.work, item.file_id, taken.status, item.unit, ws)
    return Outcome(taken.status, item.unit, item.work.name, _paths(taken.outputs))


def _misfiled(item: Claimed, sub: Submission, owner: str, ws: Workspace) -> Outcome:
    """Another unit's file: both units are told in a line, nobody gets a copy of its content."""
    notes = notices.misfiled_notices(ws.config, sub, owner, item.file_id, ws.clock(), item.stamp)
    made = [ws.deliver(body.encode("utf-8"), ws.outbox / target) for target, body in notes]
    problem = Problem("unit.misfiled", f"Tệp của {ws.config.unit(owner).name} đặt nhầm vào thư "
                      f"mục của {ws.config.unit(item.unit).name}.", found=owner,
                      expected=f"thư mục inbox/{owner}/")
    ws.ledger.finish(item.file_id, "rejected", _iso(ws.clock()), kind=sub.kind,
                     problems=[problem.__dict__], outputs=[str(p) for p in made],
                     note=f"tệp của {owner}")
    _put_away(item.work, item.file_id, "rejected", item.unit, ws)
    return Outcome("rejected", item.unit, item.work.name, tuple(made), (problem,))


def _duplicate(item: Claimed, earlier: FileRow, ws: Workspace) -> Outcome:
    folder = item.unit if ws.config.unit(item.unit) else ADMIN
    target, body = notices.duplicate_notice(item.work.name, earlier, ws.clock(), item.stamp,
                                            folder)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, Status.DUPLICATE, _iso(ws.clock()), outputs=[str(out)],
                     note=f"trùng tệp #{earlier.id}")
    _put_away(item.work, item.file_id, Status.DUPLICATE, item.unit, ws)
    return Outcome(Status.DUPLICATE, item.unit, item.work.name, (out,))


def _superseded(item: Claimed, newer_id: int, ws: Workspace) -> Outcome:
    """An older version (retried after a failure, or awaited attachments) never replaces a
    newer accepted one: the unit is told, the file archived."""
    newer, mine = ws.ledger.file(newer_id), ws.ledger.file(item.file_id)
    target, body = notices.superseded_notice(item.work.name, mine.received_at, newer,
                                             ws.clock(), item.stamp, item.unit)
    out = ws.deliver(body.encode("utf-8"), ws.outbox / target)
    ws.ledger.finish(item.file_id, Status.SUPERSEDED, _iso(ws.clock()), outputs=[str(out)],
                     note=f"cũ hơn tệp #{newer_id} đã tiếp nhận")
    _put_away(item.work, item.file_id, "superseded", item.unit, ws)
    return Outcome("superseded", item.unit, item.work.name, (out,))


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


def _link_refused(name: str, unit: str) -> Problem:
    return Problem("intake.link", f"“{name}” là một liên kết (symlink) trỏ tới nơi khác, không "
                   "phải tệp thật; docflow không mở tệp qua liên kết.",
                   expected=f"chép chính tệp (không phải liên kết) vào thư mục inbox/{unit}/")


def _iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")

