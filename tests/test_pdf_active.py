"""A unit's PDF attachment with JavaScript, Launch and URI actions, an OpenAction, automatic
actions and an embedded file: stripped before it enters the province's dossier, and the receipt
says so (issue 18, item 9)."""

from __future__ import annotations

import io
from pathlib import Path

from builders import PRIME_MINISTER, dn_info, dn_workbook, person, workspace
from docx_reader import full_text
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject,
                           TextStringObject)

from docflow.config import load
from docflow.convert.dossier import Part, build_dossier
from docflow.pipeline import process_all
from docflow.workspace import Workspace

ACTIVE = (b"/JavaScript", b"/Launch", b"/URI", b"/OpenAction", b"/AA", b"/EmbeddedFiles",
          b"/FileAttachment", b"app.alert", b"calc.exe", b"evil.example")


def action(kind: str, **entries) -> DictionaryObject:
    d = DictionaryObject({NameObject("/Type"): NameObject("/Action"),
                          NameObject("/S"): NameObject(kind)})
    d.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()})
    return d


def link(writer: PdfWriter, act: DictionaryObject) -> object:
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)]),
        NameObject("/A"): act}))


def hostile_pdf(path: Path) -> Path:
    """A one-page báo cáo that runs JavaScript on opening, launches a program, calls a URL, and
    carries an embedded file."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    page[NameObject("/Annots")] = ArrayObject([
        link(writer, action("/Launch", F="calc.exe")),
        link(writer, action("/URI", URI="http://evil.example/track")),
        link(writer, action("/JavaScript", JS="app.alert('x')"))])
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/JavaScript", JS="app.alert('page')")})
    writer.add_attachment("payload.exe", b"MZ calc.exe")
    names = writer._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject({NameObject("/Names"): ArrayObject([
        TextStringObject("start"), writer._add_object(action("/JavaScript", JS="app.alert(2)"))])})
    writer._root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert(1)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)
    data = path.read_bytes()
    assert all(marker in data for marker in (b"/Launch", b"/OpenAction", b"/EmbeddedFiles"))
    return path


def test_build_dossier_strips_every_kind_of_active_content(tmp_path):
    hostile = hostile_pdf(tmp_path / "bc.pdf")
    data = build_dossier([Part("Báo cáo", hostile)], "Hồ sơ", "UBND tỉnh")
    found = [m.decode() for m in ACTIVE if m in data]
    assert found == []
    assert len(PdfReader(io.BytesIO(data)).pages) == 1  # the page itself is kept


def test_the_dossier_carries_no_active_content_and_the_receipt_says_so(tmp_path, clock):
    ws = Workspace.open(load(workspace(tmp_path, pdf=True)), clock)
    try:
        dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [
            person("Nguyễn Văn An", award=PRIME_MINISTER, report_file="bc-an.pdf")])
        hostile_pdf(ws.inbox / "SNV" / "bc-an.pdf")
        assert sorted(o.status for o in process_all(ws)) == ["accepted", "attachment"]
    finally:
        ws.close()
    stem = "To-trinh-de-nghi-tang-Bang-khen-cua-Thu-tuong-Chinh-phu"
    dossier = (ws.outbox / "_tong-hop" / f"{stem}-Ho-so.pdf").read_bytes()
    assert [m.decode() for m in ACTIVE if m in dossier] == []
    receipt = full_text(next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-dn.docx")))
    assert "Tệp “bc-an.pdf” có nội dung tự chạy (" in receipt
    for kind in ("JavaScript", "Launch", "URI", "OpenAction", "tệp nhúng"):
        assert kind in receipt
    assert "đã được gỡ bỏ khi ghép vào hồ sơ của tỉnh" in receipt
    # what the unit sent is kept as received
    assert b"/Launch" in next(ws.state("attachments").rglob("bc-an.pdf")).read_bytes()
