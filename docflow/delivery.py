"""Render → PDF → deliver: every document of one file appears complete, or none of them does."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from docflow.convert import pdf_bytes
from docflow.convert import Part, build_dossier
from docflow.store import stage
from docflow.documents import Document, stamp
from docflow.workspace import Workspace


def deliver_all(docs: list[Document], ws: Workspace) -> list[dict[str, str]]:
    """Render and convert everything first, then write; returns the ledger entries."""
    ready: list[tuple[Document, bytes, bytes | None]] = []
    for doc in docs:
        data = doc.data if doc.data is not None else ws.renderer.render(doc.template, doc.context)
        if doc.mark:
            data = stamp(data, doc.mark)
        pdf = None
        if ws.converter is not None and doc.target.endswith(".docx"):
            pdf = pdf_bytes(ws.converter, data, PurePosixPath(doc.target).name, _scratch(ws),
                            title=doc.title or PurePosixPath(doc.target).stem,
                            author=ws.config.issuer.name)
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


def _dossier(doc: Document, draft_pdf: Path, ws: Workspace) -> Path:
    """The draft and every nominee's báo cáo thành tích in one PDF, a bookmark for each."""
    parts = [Part(doc.title or draft_pdf.stem, draft_pdf)]
    parts += [Part(title, pdf) for title, pdf in doc.attachments if pdf.is_file()]
    data = build_dossier(parts, f"Hồ sơ: {doc.title}", ws.config.issuer.name)
    return ws.deliver(data, draft_pdf.with_name(f"{draft_pdf.stem}-Ho-so.pdf"))


def _scratch(ws: Workspace) -> Path:
    folder = ws.state("work") / ".pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
