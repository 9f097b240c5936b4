"""Render → PDF → deliver: every document of one file appears complete, or none of them does.

Answers a newer file has superseded leave the unit's outbox folder for `outbox/<UNIT>/cu/`:
the receipt and documents of the version it replaces, and the error slips of the same form's
earlier rejected files, would otherwise sit beside the new answer and confuse the clerk. They
are moved (never deleted) into `cu/`, and the ledger is told where they went.
"""

from __future__ import annotations

import contextlib
import logging
import os
from concurrent.futures import Future
from pathlib import Path, PurePosixPath

from docflow.convert import Conversions, Stitched, start_stitched
from docflow.convert import Part, build_dossier
from docflow.store import free_name, stage
from docflow.documents import Document, stamp
from docflow.errors import ConversionError
from docflow.workspace import Workspace


def deliver_all(docs: list[Document], ws: Workspace) -> list[dict[str, str]]:
    """Render and convert everything first, then write; returns the ledger entries."""
    ready: list[tuple[Document, bytes, bytes | None]] = []
    with _conversions(ws) as conversions:
        # Each document's conversions are asked for as soon as it is rendered: LibreOffice
        # converts one while docflow renders the next and joins the one before.
        pending = []
        for doc in docs:
            if doc.data is None:  # stamped while it is zipped: a long list is not zipped twice
                data = ws.renderer.render(doc.template, doc.context, doc.mark)
            else:
                data = stamp(doc.data, doc.mark) if doc.mark else doc.data
            started = None
            if conversions is not None and doc.target.endswith(".docx"):
                started = _start_pdf(data, doc, ws, conversions)
            pending.append((doc, data, started))
        for doc, data, started in pending:
            pdf = None
            if started is not None:
                data, pdf = _finish_pdf(data, doc, ws, started)
            ready.append((doc, data, pdf))
    # Stage every file first (a full disk fails here, leaving nothing visible), then publish;
    # the first document (a receipt) is published last, so it never announces a set that failed.
    staged: list[tuple[Path, Path]] = []
    try:
        for doc, data, pdf in ready:
            dest = ws.outbox / doc.target
            staging = ws.state("staging")
            staged.append((stage(data, dest, staging), dest))
            if pdf is not None:
                staged.append((stage(pdf, dest.with_suffix(".pdf"), staging),
                               dest.with_suffix(".pdf")))
    except BaseException:
        for part, _ in staged:
            part.unlink(missing_ok=True)
        raise
    for part, dest in reversed(staged):
        os.replace(part, dest)
    made = []
    for doc, _, pdf in ready:
        path = ws.outbox / doc.target
        entry = {"path": str(path), "template": doc.template, "mark": doc.mark,
                 "template_sha256": ws.renderer.template_hash(doc.template) if doc.template else ""}
        if pdf is not None:
            entry["pdf"] = str(path.with_suffix(".pdf"))
            if doc.attachments:
                entry["dossier"] = str(_dossier(doc, path.with_suffix(".pdf"), ws))
        made.append(entry)
    return made


def _conversions(ws: Workspace) -> contextlib.AbstractContextManager[Conversions | None]:
    if ws.converter is None:
        return contextlib.nullcontext()
    return Conversions(ws.converter, ws.state("pdf-parts"), ws.state("work") / ".pdf")


def _start_pdf(data: bytes, doc: Document, ws: Workspace,
               conversions: Conversions) -> Stitched | Future:
    """Ask for the document's PDF: a long list in parts converted once per content and joined
    (the .docx then starts each part on a new page, as the PDF does), anything else whole."""
    name, title = PurePosixPath(doc.target).name, doc.title or PurePosixPath(doc.target).stem
    try:
        made = start_stitched(conversions, data, name, title=title, author=ws.config.issuer.name)
    except Exception as exc:  # noqa: BLE001 - joining parts is an optimisation: fall back whole
        log.warning("Không cắt được %s thành các phần (%s); chuyển cả văn bản sang PDF.", name, exc)
        made = None
    return made if made is not None else conversions.whole(data, name, title,
                                                           ws.config.issuer.name)


def _finish_pdf(data: bytes, doc: Document, ws: Workspace,
                started: Stitched | Future) -> tuple[bytes, bytes]:
    """The document and its PDF, once its conversions are done."""
    if isinstance(started, Future):
        return data, started.result()
    try:
        return started.result()
    except ConversionError:
        raise
    except Exception as exc:  # noqa: BLE001 - joining parts is an optimisation: fall back whole
        name, title = PurePosixPath(doc.target).name, doc.title or PurePosixPath(doc.target).stem
        log.warning("Không ghép được %s từ các phần (%s); chuyển cả văn bản sang PDF.", name, exc)
        return data, started.conversions.whole(data, name, title, ws.config.issuer.name).result()


def _dossier(doc: Document, draft_pdf: Path, ws: Workspace) -> Path:
    """The draft and every nominee's báo cáo thành tích in one PDF, a bookmark for each."""
    parts = [Part(doc.title or draft_pdf.stem, draft_pdf)]
    parts += [Part(title, pdf) for title, pdf in doc.attachments if pdf.is_file()]
    data = build_dossier(parts, f"Hồ sơ: {doc.title}", ws.config.issuer.name)
    return ws.deliver(data, draft_pdf.with_name(f"{draft_pdf.stem}-Ho-so.pdf"))


OLD = "cu"  # "cũ": the subfolder of outbox/<UNIT>/ for superseded answers
log = logging.getLogger("docflow")


def retire_superseded(ws: Workspace, unit: str, kind: str, new_file_id: int,
                      replaced_file_id: int | None, keep: set[Path]) -> list[Path]:
    """Move the answers of the replaced version and of same-form rejections into `cu/`."""
    folder = ws.outbox / unit
    ids = ws.ledger.rejected_before(unit, kind, new_file_id)
    if replaced_file_id is not None:
        ids.append(replaced_file_id)
    moved: list[Path] = []
    for file_id in sorted(set(ids)):
        entries = ws.ledger.outputs_of(file_id)
        changed = False
        for entry in entries:
            for key in ("path", "pdf"):
                path = Path(entry[key]) if entry.get(key) else None
                if path is None or path in keep or path.parent != folder or not path.is_file():
                    continue  # drafts in _tong-hop/, the new answers, or already moved
                try:
                    (folder / OLD).mkdir(exist_ok=True)
                    target = free_name(folder / OLD / path.name)
                    path.rename(target)
                except OSError as exc:  # an answer left in place is untidy, never harmful
                    log.warning("Không chuyển được %s vào %s/: %s", path, OLD, exc)
                    continue
                entry[key] = str(target)
                moved.append(target)
                changed = True
        if changed:
            ws.ledger.set_outputs(file_id, entries)
    return moved
