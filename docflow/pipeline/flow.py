"""Orchestration only: take one file from the inbox to its outputs, its ledger row and its archive."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from docflow.awarding import already_awarded, history_view, into_register
from docflow.catalog import ISSUED_FOLDER
from docflow.config import Config
from docflow.documents import (
    Document,
    also_stale,
    describe,
    documents_from_json,
    documents_to_json,
    draft_versions,
    notices,
    stale_keys,
    unit_documents,
    unit_key,
)
from docflow.drafts import CAMPAIGN, refresh_aggregates
from docflow.errors import DocflowError, IntakeError, LedgerError
from docflow.forms import UNZIPPED, read_form
from docflow.models import Problem, Status, Submission, Validation
from docflow.pipeline.answers import (
    Claimed,
    Outcome,
    deliver_accepted,
    duplicate,
    fail,
    iso,
    keep_attachment,
    link_refused,
    minutes_waited,
    misfiled,
    put_away,
    reject,
    superseded,
    take_issued_decision,
    unknown_unit,
    wait_for_pdfs,
)
from docflow.store import (Claims, Ledger, answer_nested, arrival_key, claim, sha256,
                           sweep_parts, unit_of, waiting)
from docflow.validation import attachments, owner_elsewhere, validate
from docflow.workspace import Workspace

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


def claim_inbox_file(path: Path, ws: Workspace) -> tuple[Path, str]:
    """Claim a file in the ledger, then move it from the inbox into its work folder; returns
    where it is and whose it is. FileNotFoundError: gone, or another claimer has it."""
    folder = unit_of(path, ws.inbox)
    known = ws.config.unit(folder) if folder else None
    unit = known.code if known else folder  # inbox/snv/ is SNV's folder: one outbox, one code
    key = ws.claims.take(arrival_key(path, ws.inbox))
    if key is None:  # another watcher (perhaps on another machine) claimed this arrival
        raise FileNotFoundError(errno.ENOENT, "claimed by another docflow process", str(path))
    try:  # the rename is the second guard: of two claimers only one moves the file
        work = claim(path, ws.state("work") / (unit or "_goc"),
                     ws.clock().strftime("%Y%m%d-%H%M%S"))
    except BaseException:
        ws.claims.drop(key)
        raise
    ws.claims.moved(key, work)
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


def recover(config: Config, ledger: Ledger | None = None) -> list[tuple[Path, str]]:
    """Clear temporaries a crash left half-written; list files claimed but not finished —
    with `ledger`, only those whose claimer is gone (now this process's), never a file another
    live process or machine works on."""
    state = config.path("state")
    sweep_parts(config.path("outbox"))
    sweep_parts(state / "staging")
    root = state / "work"
    claimed = sorted(root.glob("*/*/*")) if root.is_dir() else []
    # work/<unit>/<claim>/<file>; dot folders are docflow's own scratch (the PDF converter's
    # work/.pdf/), never a unit. A claimed link is listed, to be refused.
    left = [(p, "" if p.parent.parent.name == "_goc" else p.parent.parent.name)
            for p in claimed if (p.is_file() or p.is_symlink()) and not p.name.startswith(".")
            and not p.parent.parent.name.startswith(".")]
    return left if ledger is None else [(p, u) for p, u in left if Claims(ledger).adopt(p)]


def resume(ws: Workspace) -> list[Outcome]:
    """Finish every file claimed before a stop or a crash."""
    # A file another process finished meanwhile has left the work area: nothing to resume.
    return [process_claimed(work, unit, ws) for work, unit in recover(ws.config, ws.ledger)
            if work.exists()]


def process_claimed(work: Path, unit: str, ws: Workspace) -> Outcome:
    """Process a claimed file exactly once; safe to call again after a crash at any point, and
    from several processes at once (`run` beside `watch`): one file of a unit at a time, by a
    lease in the ledger, so versions are accepted in the order they were claimed."""
    with ws.ledger.lease(f"unit:{unit}"):
        # this process works on it now: no other machine resumes it while this one lives
        ws.claims.hold(work, ws.config.watch.file_timeout_seconds)
        return _process_claimed(work, unit, ws)


def _process_claimed(work: Path, unit: str, ws: Workspace) -> Outcome:
    row = ws.ledger.by_work_path(work)
    if row and Status(row.status).final:
        pending = ws.ledger.pending(row.id) if row.status == Status.ACCEPTED else None
        if pending is not None:  # accepted before a stop, its answer not yet out
            docs, meta = documents_from_json(pending)
            return deliver_accepted(Claimed(work, unit, row.id, row.sha256), docs, meta, (), ws)
        put_away(work, row.id, row.status, unit, ws)
        return Outcome(row.status, unit, work.name, tuple(Path(p) for p in row.outputs))
    link = work.is_symlink()  # never followed: it may point at another unit's files
    digest = hashlib.sha256(os.readlink(work).encode("utf-8", "surrogateescape")).hexdigest() \
        if link else sha256(work)
    file_id = row.id if row else ws.ledger.begin_file(unit, work.name, digest, work,
                                                      iso(ws.clock()))
    item = Claimed(work, unit, file_id, digest)
    earlier = ws.ledger.finished_with_hash(unit, digest)
    if earlier and earlier.id != file_id:
        return duplicate(item, earlier, ws)
    try:
        if unit == ISSUED_FOLDER:
            return take_issued_decision(item, ws)
        if ws.config.unit(unit) is None:
            return reject(item, None, [unknown_unit(unit)], ws)
        if link:
            return reject(item, None, [link_refused(work.name, unit)], ws)
        if work.suffix.lower() == ".pdf":
            return keep_attachment(item, ws)
        sub = read_form(work, unit, ws.config.forms, ws.config.intake, ws.converter,
                        ws.config.output.soffice)
        owner = owner_elsewhere(sub, ws.config.forms[sub.kind], ws.config)
        if owner is not None:
            return misfiled(item, sub, owner.code, ws)
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
                if not any(p.is_error for p in problems) and minutes_waited(row, ws) < wait:
                    return wait_for_pdfs(item, sub, pdfs.missing, ws)
                problems += attachments.missing_problems(pdfs.missing, wait)
            accepted = None
            if not any(p.is_error for p in problems):
                sub, validation = into_register(sub, validation, ws, item.file_id,
                                                f"{item.unit}/{item.work.name}")
                accepted = _accept(item, sub, replace(validation, problems=tuple(problems)),
                                   pdfs, ws)
        if accepted is None:
            return reject(item, sub, problems, ws)
        if isinstance(accepted, Outcome):  # an older version, after a newer one was accepted
            return accepted
        docs, meta = accepted
        return deliver_accepted(item, docs, meta, tuple(problems), ws)
    except IntakeError as exc:
        return reject(item, None, [Problem(exc.code, exc.message_vi)], ws)
    except LedgerError:
        raise  # nothing can be recorded: the file stays claimed and is resumed at next start
    except (DocflowError, OSError) as exc:
        return fail(item, exc, ws)
    except Exception:
        log.exception("Tệp %s làm bộ đọc lỗi", work.name)
        return reject(item, None, [Problem(
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
        return superseded(item, previous.file_id, ws)
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
    # The unit's own documents are drafts like the province's: marked stale with the record,
    # made right after the receipt is out (so the sender's answer waits for one PDF, not
    # three), and remade by the next refresh if that making is cut short.
    key = unit_key(record) if own else ""
    versions = draft_versions(key, ws.config, ws.renderer.template_hash) if own else None
    ws.ledger.finish(item.file_id, Status.ACCEPTED, iso(ws.clock()), kind=sub.kind, record=record,
                     stale=stale + ([key] if own else []),
                     problems=[p.__dict__ for p in validation.warnings],
                     pending=documents_to_json(docs, meta := {
                         "kind": sub.kind, "previous": previous_id, "own": key,
                         "versions": versions, "later": len(own)}))
    return docs, meta


