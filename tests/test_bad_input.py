"""Bad input: whatever a unit drops, it gets a clear answer, the original is kept, work goes on.

Every input is built here in code: broken files, disguised files, zip and XML bombs, hostile
values and names. A refused file gets its Phiếu báo lỗi (Word and text) in outbox/<unit>/ — or in
outbox/_quan-tri/ when no unit can be told — and its original in state/rejected/; then a valid
file from another unit, dropped after it, is still accepted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest
from builders import (bc_workbook, collective, dk_workbook, dn_info, dn_workbook, pdf_file,
                      person, workspace)
from docx import Document
from docx_builders import BC_FIELDS, BC_ROWS, document, label_value_table, list_table, mark
from docx_reader import full_text
from openpyxl import load_workbook

from docflow.config import load
from docflow.store.inbox import waiting
from docflow.pipeline import Outcome, process_all
from docflow.documents.render import Renderer
from docflow.text import slug
from docflow.workspace import Workspace

OLD = 1_700_000_000  # an mtime older than anything a test drops: the bad file is processed first
DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
PASSWD_LINE = "root:x:0:0"
NOT_XLSX = "Không mở được tệp như một bảng tính Excel (.xlsx)"
NOT_DOCX = "như một văn bản Word (.docx)"
NOT_ZIP = "Không mở được tệp nén .zip"


# --- dropping files and reading the answers ------------------------------------------------------

def good_file(ws: Workspace, unit: str = "SYT") -> Path:
    """A valid nomination from another unit, dropped after the bad file."""
    return dn_workbook(ws.inbox / unit / "hop-le.xlsx", dn_info(unit),
                       [person("Lê Văn Tiếp", workplace="Phòng Kế hoạch")])


def run_bad_then_good(ws: Workspace, bad: Path, good_unit: str = "SYT") -> Outcome:
    """Process `bad` first and a valid file after it; the valid one must still be accepted."""
    os.utime(bad, (OLD, OLD))
    good = good_file(ws, good_unit)
    outcomes = process_all(ws)
    statuses = {(o.unit, o.name): o.status for o in outcomes}
    assert statuses.get((good_unit, good.name)) == "accepted", statuses
    mine = [o for o in outcomes if o.name == unicodedata.normalize("NFC", bad.name)]
    assert len(mine) == 1, statuses
    return mine[0]


def drop(ws: Workspace, folder: str, name: str, data: bytes) -> Path:
    path = ws.inbox / folder / name if folder else ws.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def the_one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"{pattern} in {folder}: {[p.name for p in folder.glob('*')]}"
    return found[0]


def ledger_row(ws: Workspace, name: str) -> dict[str, Any]:
    db = sqlite3.connect(ws.config.path("state") / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in db.execute("SELECT * FROM files WHERE name = ?", (name,))]
    finally:
        db.close()
    assert len(rows) == 1, rows
    return rows[0]


def assert_refused(ws: Workspace, outcome: Outcome, data: bytes, phrase: str, *,
                   folder: str = "SNV", kept_in: str = "SNV") -> str:
    """Rejected; the Phiếu báo lỗi in outbox/<folder>/ says `phrase`; the original kept intact."""
    assert outcome.status == "rejected", (outcome.status, outcome.problems)
    stem = slug(Path(outcome.name).stem)
    report = the_one(ws.outbox / folder, f"*-Phieu-bao-loi-{stem}.docx")
    text = full_text(report)
    assert "PHIẾU BÁO LỖI" in text and f"“{outcome.name}”" in text
    assert phrase in text, text
    twin = the_one(ws.outbox / folder, f"*-Phieu-bao-loi-{stem}.txt").read_text("utf-8")
    assert phrase in twin
    kept = the_one(ws.state("rejected") / kept_in, f"*/{outcome.name}")
    assert kept.read_bytes() == data, "the original is kept byte for byte"
    row = ledger_row(ws, outcome.name)
    assert row["status"] == "rejected" and Path(row["stored_path"]) == kept
    assert not [p for p in ws.state("work").rglob("*") if p.is_file()]
    return text


def everything_written(ws: Workspace) -> str:
    """All text docflow produced or stored: outbox documents and the ledger."""
    parts = []
    for path in ws.outbox.rglob("*"):
        if path.suffix == ".docx":
            parts.append(full_text(path))
        elif path.suffix == ".txt":
            parts.append(path.read_text("utf-8"))
        elif path.suffix == ".xlsx":
            wb = load_workbook(path)
            parts += [str(c.value) for s in wb.worksheets for r in s.iter_rows() for c in r
                      if c.value is not None]
            parts += [c.comment.text for s in wb.worksheets for r in s.iter_rows() for c in r
                      if c.comment]
    db = sqlite3.connect(ws.config.path("state") / "ledger.sqlite3")
    try:
        for table in ("files", "submissions"):
            parts += [json.dumps(list(r), ensure_ascii=False, default=str)
                      for r in db.execute(f"SELECT * FROM {table}")]
    finally:
        db.close()
    return "\n".join(parts)


# --- packages rewritten by hand ------------------------------------------------------------------

def repack(src: Path, dest: Path, edit: dict[str, Callable[[bytes], bytes]] | None = None,
           add: dict[str, bytes] | None = None) -> Path:
    """A copy of an OOXML package with some parts edited and some added."""
    edit, add = edit or {}, add or {}
    with zipfile.ZipFile(src) as zin:
        parts = [(i.filename, zin.read(i)) for i in zin.infolist()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            zout.writestr(name, edit[name](data) if name in edit else data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dest


def nomination(tmp: Path, signer: str = "Trần Văn Bình") -> Path:
    """A valid SNV nomination; the signer sits in Thông tin!B8 (xl/worksheets/sheet1.xml)."""
    return dn_workbook(tmp / "src" / "de-nghi.xlsx", dn_info("SNV", signer=signer),
                       [person("Nguyễn Văn An")])


def xml_escaped(text: str) -> bytes:
    """How openpyxl writes a string into sheet XML: non-ASCII as character references."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text).encode()


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """Put a DOCTYPE before the root element, after any XML declaration."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype.encode() + xml[end:]
    return doctype.encode() + xml


LAUGHS = ('<!DOCTYPE x [<!ENTITY a0 "ha">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>")  # 10⁹ × "ha"
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LOCAL = '<!DOCTYPE x [<!ENTITY ten "Nguyễn Thực Thể">]>'
ATTACKS = {"xxe": (XXE, "&xxe;"), "laughs": (LAUGHS, "&a9;"), "local": (LOCAL, "&ten;")}


def sheet_with_entity(tmp: Path, attack: str) -> Path:
    """The signer cell of sheet1.xml replaced by an entity reference declared in a DOCTYPE."""
    doctype, ref = ATTACKS[attack]
    src = nomination(tmp, signer="CHỖ-THẾ")

    def edit(xml: bytes) -> bytes:
        return with_doctype(xml.replace(xml_escaped("CHỖ-THẾ"), ref.encode()), doctype)
    return repack(src, tmp / "de-nghi.xlsx", {"xl/worksheets/sheet1.xml": edit})


def shared_strings_with_entity(tmp: Path, attack: str) -> Path:
    """The signer cell turned into shared string 0, whose text is the entity reference."""
    doctype, ref = ATTACKS[attack]
    src = nomination(tmp, signer="CHỖ-THẾ")
    inline = b'<c r="B8" t="inlineStr"><is><t>' + xml_escaped("CHỖ-THẾ") + b"</t></is></c>"
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<sst xmlns="http://'
           f'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si>'
           f"<t>{ref}</t></si></sst>").encode()

    def sheet(xml: bytes) -> bytes:
        assert inline in xml
        return xml.replace(inline, b'<c r="B8" t="s"><v>0</v></c>')

    def types(xml: bytes) -> bytes:
        return xml.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                           b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                           b'sharedStrings+xml"/></Types>')

    def rels(xml: bytes) -> bytes:
        return xml.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.'
                           b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                           b'Target="sharedStrings.xml"/></Relationships>')
    return repack(src, tmp / "de-nghi.xlsx", {"xl/worksheets/sheet1.xml": sheet,
                                              "[Content_Types].xml": types,
                                              "xl/_rels/workbook.xml.rels": rels},
                  {"xl/sharedStrings.xml": sst})


def bc_document_file(tmp: Path, fields: dict[str, str] | None = None) -> Path:
    """A valid BC report as a Word document: label/value tables and the list, docflow-marked."""
    doc = document()
    mark(doc, "docflow:BC:1")
    values = {"shortcomings": "", "proposals": "", **BC_FIELDS, **(fields or {})}
    review = ("highlights", "shortcomings", "proposals")
    label_value_table(doc, {k: v for k, v in values.items() if k not in review})
    list_table(doc, BC_ROWS)
    label_value_table(doc, {k: values[k] for k in review})
    path = tmp / "src" / "bao-cao.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def document_with_entity(tmp: Path, attack: str, part: str) -> Path:
    """The signer's name in document.xml, or the docflow mark in custom.xml, made an entity."""
    doctype, ref = ATTACKS[attack]
    src = bc_document_file(tmp)
    old = BC_FIELDS["signer"] if part == "word/document.xml" else "docflow:BC:1"

    def edit(xml: bytes) -> bytes:
        assert old.encode() in xml
        return with_doctype(xml.replace(old.encode(), ref.encode(), 1), doctype)
    return repack(src, tmp / "bao-cao.docx", {part: edit})


def cfb(*stream_names: str) -> bytes:
    """An OLE compound file as Office writes a password-protected package: header and streams."""
    names = b"".join(n.encode("utf-16-le") + b"\0\0" for n in stream_names)
    return (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
            + bytes(488) + names + os.urandom(2048))


def png() -> bytes:
    return bytes.fromhex("89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C489"
                         "0000000D49444154789C626001000000050001A5F645400000000049454E44AE426082")


# --- files that cannot be read ------------------------------------------------------------------

def _valid_xlsx(tmp: Path) -> bytes:
    return nomination(tmp).read_bytes()


def _valid_docx(tmp: Path) -> bytes:
    return bc_document_file(tmp).read_bytes()


def _zip_of(tmp: Path, entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


UNREADABLE = {
    "an empty workbook": ("rong.xlsx", lambda t: b"", NOT_XLSX),
    "an empty document": ("rong.docx", lambda t: b"", NOT_DOCX),
    "an empty zip": ("rong.zip", lambda t: b"", NOT_ZIP),
    "a truncated workbook": ("cat-doi.xlsx", lambda t: _valid_xlsx(t)[:3000], NOT_XLSX),
    "a truncated document": ("cat-doi.docx", lambda t: _valid_docx(t)[:5000], NOT_DOCX),
    "a truncated zip": ("cat-doi.zip", lambda t: _zip_of(t, {"de-nghi.xlsx": _valid_xlsx(t),
                                                             "bao-cao.pdf": pdf_file(
                                                                 t / "b.pdf").read_bytes()})[:4000],
                        NOT_ZIP),
    "a corrupt zip": ("hong.zip", lambda t: b"PK\x03\x04" + os.urandom(5000), NOT_ZIP),
    "a PDF renamed .xlsx": ("that-ra-la-pdf.xlsx", lambda t: pdf_file(t / "x.pdf").read_bytes(),
                            NOT_XLSX),
    "an image renamed .xlsx": ("anh-chup.xlsx", lambda t: png(), NOT_XLSX),
    "a PDF renamed .docx": ("that-ra-la-pdf.docx", lambda t: pdf_file(t / "x.pdf").read_bytes(),
                            NOT_DOCX),
    "a password-protected workbook": (
        "mat-khau.xlsx", lambda t: cfb("EncryptionInfo", "EncryptedPackage"), "có mật khẩu"),
    "a password-protected document": (
        "mat-khau-word.docx", lambda t: cfb("EncryptionInfo", "EncryptedPackage"),
        "đã đặt mật khẩu"),
    "a macro-enabled workbook": ("co-macro.xlsm", _valid_xlsx, "có thể chứa macro"),
    "a macro-enabled document": ("co-macro.docm", _valid_docx, "có thể chứa macro"),
    "a zip holding a macro-enabled workbook": (
        "ho-so.zip", lambda t: _zip_of(t, {"de-nghi.xlsm": _valid_xlsx(t)}), "có thể chứa macro"),
    "a zip holding no form": ("chi-co-anh.zip", lambda t: _zip_of(t, {"a.png": png()}),
                              "phải chứa đúng một biểu mẫu"),
    "a file type docflow does not read": ("de-nghi.exe", lambda t: b"MZ" + bytes(100),
                                          "Chưa nhận loại tệp “.exe”"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_file_is_refused_saying_what_to_send_instead(ws, tmp_path, case):
    name, make, phrase = UNREADABLE[case]
    data = make(tmp_path)
    outcome = run_bad_then_good(ws, drop(ws, "SNV", name, data))
    text = assert_refused(ws, outcome, data, phrase)
    assert "gửi lại" in text


def test_a_macro_enabled_word_document_is_told_to_save_as_a_word_document(ws, tmp_path):
    data = _valid_docx(tmp_path)
    outcome = run_bad_then_good(ws, drop(ws, "SNV", "co-macro.docm", data))
    text = assert_refused(ws, outcome, data, "có thể chứa macro")
    assert "Word Document (.docx)" in text and "Excel Workbook" not in text


# --- bombs ---------------------------------------------------------------------------------------

@pytest.fixture
def small_limits(tmp_path, clock):
    """A workspace whose [intake] allows 1 MB unpacked and 20 entries per zip."""
    config = workspace(tmp_path)
    text = config.read_text("utf-8")
    text = text.replace("max_zip_bytes = 209715200", "max_zip_bytes = 1048576")
    text = text.replace("max_zip_entries = 200", "max_zip_entries = 20")
    config.write_text(text, "utf-8")
    loaded = load(config)
    assert (loaded.intake.max_zip_bytes, loaded.intake.max_zip_entries) == (1 << 20, 20)
    opened = Workspace.open(loaded, clock, converter=None)
    yield opened
    opened.close()


def _lying_zip(real: bytes, claimed: int) -> bytes:
    """A zip whose headers claim `claimed` bytes for an entry that really unpacks to `real`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("de-nghi.xlsx", real)
    data = bytearray(buffer.getvalue())
    size = len(real).to_bytes(4, "little")
    for at in (data.find(b"PK\x03\x04") + 22, data.find(b"PK\x01\x02") + 24):
        assert data[at:at + 4] == size
        data[at:at + 4] = claimed.to_bytes(4, "little")
    return bytes(data)


BOMBS = {
    "an entry unpacking past the limit": (
        lambda t: _zip_of(t, {"de-nghi.xlsx": bytes(2 << 20)}), "vượt quá 1 MB"),
    "an entry whose header lies about its size": (
        lambda t: _lying_zip(bytes(2 << 20), 1000), ("vượt quá 1 MB", NOT_ZIP)),
    "too many entries": (
        lambda t: _zip_of(t, {"de-nghi.xlsx": _valid_xlsx(t),
                              **{f"kem-{i:02d}.pdf": b"%PDF-1.4" for i in range(20)}}),
        "có 21 tệp, quá giới hạn 20"),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_a_zip_bomb_is_refused_before_it_fills_the_disk(small_limits, tmp_path, case):
    ws = small_limits
    make, phrase = BOMBS[case]
    data = make(tmp_path)
    outcome = run_bad_then_good(ws, drop(ws, "SNV", "ho-so.zip", data))
    phrases = phrase if isinstance(phrase, tuple) else (phrase,)
    text = assert_refused(ws, outcome, data, next(p for p in phrases if p in
                                                  " ".join(x.message for x in outcome.problems)))
    assert "Tệp đã gửi vẫn được lưu giữ" in text
    assert not list(ws.state("work").rglob("de-nghi.xlsx")), "nothing unpacked is left behind"


def _package_bomb(tmp: Path, kind: str) -> bytes:
    """An office file that is itself a zip bomb: 8 MB of blanks inside one XML part."""
    pad = b" " * (8 << 20)
    if kind == "xlsx":
        src = nomination(tmp)
        edit = {"xl/worksheets/sheet2.xml":
                lambda x: x.replace(b"<sheetData>", b"<sheetData>" + pad)}
        return repack(src, tmp / "bom.xlsx", edit).read_bytes()
    src = bc_document_file(tmp)
    edit = {"word/document.xml": lambda x: x.replace(b"<w:body>", b"<w:body>" + pad)}
    return repack(src, tmp / "bom.docx", edit).read_bytes()


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_an_office_file_that_unpacks_past_the_limit_is_refused(small_limits, tmp_path, kind):
    ws = small_limits
    data = _package_bomb(tmp_path, kind)
    assert len(data) < 100_000
    outcome = run_bad_then_good(ws, drop(ws, "SNV", f"bom.{kind}", data))
    assert_refused(ws, outcome, data, "vượt quá 1 MB")


# --- XML with entities ---------------------------------------------------------------------------

XML_DECLARATIONS = "chứa khai báo XML (DOCTYPE/ENTITY) mà Excel và Word không bao giờ tạo ra"


@pytest.mark.parametrize("where, attack", [
    pytest.param("sheet", "xxe"),
    pytest.param("sheet", "laughs"),
    pytest.param("sheet", "local"),
    pytest.param("sharedStrings", "xxe"),
    pytest.param("sharedStrings", "laughs"),
])
def test_entities_in_a_workbook_are_never_expanded_nor_fetched(ws, tmp_path, where, attack):
    make = sheet_with_entity if where == "sheet" else shared_strings_with_entity
    path = make(tmp_path, attack)
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, drop(ws, "SNV", "de-nghi.xlsx", data))
    assert outcome.status == "rejected", "a workbook with a DOCTYPE is not a form Excel writes"
    assert_refused(ws, outcome, data, XML_DECLARATIONS)
    written = everything_written(ws)
    assert PASSWD_LINE not in written and "hahahaha" not in written
    assert "Nguyễn Thực Thể" not in written


@pytest.mark.parametrize("part, attack", [
    ("word/document.xml", "xxe"), ("word/document.xml", "laughs"),
    ("word/document.xml", "local"),
    pytest.param("docProps/custom.xml", "xxe"),
    pytest.param("docProps/custom.xml", "laughs"),
])
def test_entities_in_a_word_document_are_never_expanded_nor_fetched(ws, tmp_path, part, attack):
    path = document_with_entity(tmp_path, attack, part)
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, drop(ws, "SNV", "bao-cao.docx", data))
    assert outcome.status == "rejected", "the entity must not stand in for the signer"
    assert_refused(ws, outcome, data, XML_DECLARATIONS)
    written = everything_written(ws)
    assert PASSWD_LINE not in written and "hahahaha" not in written
    assert "Nguyễn Thực Thể" not in written


# --- values: huge, control characters, template code, formulas -----------------------------------

def test_a_10_mb_cell_is_answered_and_the_next_file_still_goes_through(ws):
    huge = "Thành tích xuất sắc. " * 500_000  # 10.5 million characters
    path = dn_workbook(ws.inbox / "SNV" / "rat-dai.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An", achievements=huge)])
    outcome = run_bad_then_good(ws, path)
    answer = "Phieu-tiep-nhan" if outcome.status == "accepted" else "Phieu-bao-loi"
    assert the_one(ws.outbox / "SNV", f"*-{answer}-rat-dai.docx")
    kept = [*ws.state("archive").rglob("rat-dai.xlsx"), *ws.state("rejected").rglob("rat-dai.xlsx")]
    assert len(kept) == 1
    assert all(p.stat().st_size < 1_000_000 for p in ws.outbox.rglob("*.docx"))


def test_a_cell_longer_than_excel_allows_is_refused_naming_the_cell(ws, tmp_path):
    # openpyxl itself cuts a cell at 32,767 characters, so the long text is put in the XML
    source = dn_workbook(tmp_path / "rat-dai.xlsx", dn_info("SNV"),
                         [person("Nguyễn Văn An", achievements="THAY-THE")])
    path = ws.inbox / "SNV" / "rat-dai.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename).replace(
                b"THAY-THE", ("Thành tích xuất sắc. " * 500_000).encode("utf-8"))
            dst.writestr(info, data)
    outcome = run_bad_then_good(ws, path)
    assert outcome.status == "rejected"
    assert [p.location for p in outcome.problems] == ["Danh sách!I2"]
    assert "32.767" in full_text(the_one(ws.outbox / "SNV", "*-Phieu-bao-loi-rat-dai.docx"))


def test_tabs_line_breaks_and_excel_escaped_control_characters_keep_every_output_valid(ws):
    path = dn_workbook(ws.inbox / "SNV" / "ky-tu.xlsx",
                       dn_info("SNV", signer="Trần\tVăn\nBình\r"),
                       [person("Nguyễn_x0007_Văn_x001F_An", workplace="Phòng\tTổ chức\n"
                               "cán bộ_x0000_")])
    outcome = run_bad_then_good(ws, path)
    assert outcome.status in ("accepted", "rejected")
    for doc in ws.outbox.rglob("*.docx"):
        text = full_text(doc)  # python-docx opens it: the XML is well formed
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text)
    assert "Nguyễn_x0007_Văn_x001F_An" in full_text(ws.outbox / DECISION)


def test_a_workbook_with_raw_control_characters_is_refused_not_a_crash(ws, tmp_path):
    src = nomination(tmp_path, signer="Trần Văn CHỖ")
    path = repack(src, tmp_path / "ky-tu.xlsx", {"xl/worksheets/sheet1.xml": lambda x: x.replace(
        xml_escaped("CHỖ"), b"B&#1;&#27;nh")})
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, drop(ws, "SNV", "ky-tu.xlsx", data))
    assert_refused(ws, outcome, data, NOT_XLSX)


def test_the_renderer_drops_characters_xml_cannot_hold(tmp_path):
    doc = Document()
    doc.add_paragraph("Người ký: {{ signer }}")
    doc.save(str(tmp_path / "mau.docx"))
    every = "".join(chr(i) for i in range(32))
    data = Renderer(tmp_path).render("mau.docx", {"signer": f"Trần{every}Văn Bình"})
    (tmp_path / "ra.docx").write_bytes(data)
    text = full_text(tmp_path / "ra.docx")
    assert "Trần" in text and "Văn Bình" in text
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


TEMPLATE_LIKE = ["{{ 7*7 }}", "{% for x in y %}", "<w:p>", "&", "]]>", "{#", "</w:t></w:r>"]


def test_values_that_look_like_template_code_or_xml_appear_literally(ws):
    path = dn_workbook(ws.inbox / "SNV" / "mau.xlsx", dn_info("SNV"), [
        person("Nguyễn {{ 7*7 }} An", position="{% for x in y %}",
               workplace="Phòng <w:p> & ]]> {# </w:t></w:r>"),
        collective("Tổ {{ config }} & <w:t>")])
    outcome = run_bad_then_good(ws, path)
    assert outcome.status == "accepted", outcome.problems
    text = full_text(ws.outbox / DECISION)
    for value in ["Nguyễn {{ 7*7 }} An", "{% for x in y %}", "Phòng <w:p> & ]]> {# </w:t></w:r>",
                  "Tổ {{ config }} & <w:t>"]:
        assert value in text
    assert "Nguyễn 49 An" not in text


def test_template_code_in_a_refused_value_is_shown_literally_in_the_error_report(ws):
    path = dn_workbook(ws.inbox / "SNV" / "loi.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An", gender="{{ 7*7 }}<w:p>&]]>")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    text = assert_refused(ws, outcome, data, "“Giới tính” không hợp lệ.")
    assert "{{ 7*7 }}<w:p>&]]>" in text.replace("\u00a0", " ").split("Danh sách!D2", 1)[1]


def test_template_code_in_a_report_and_a_plan_appears_literally(ws):
    bc_workbook(ws.inbox / "SNV" / "bao-cao.xlsx", "SNV", [3, 300, 12, 2, 1, 4],
                highlights="Đạt {{ 7*7 }} chỉ tiêu {% if x %}<w:p>&]]>")
    dk_workbook(ws.inbox / "SYT" / "dang-ky.xlsx", "SYT",
                [[1, "Tuyên truyền {{ lipsum }} & <w:br/>", 10, "buổi", dt.date(2025, 12, 1),
                  "{% raw %}"]])
    outcomes = process_all(ws)
    assert [o.status for o in outcomes] == ["accepted", "accepted"], [o.problems for o in outcomes]
    summary = full_text(ws.outbox / "_tong-hop" / "Bao-cao-tong-hop-ket-qua-Nam-2025.docx")
    assert "Đạt {{ 7*7 }} chỉ tiêu {% if x %}<w:p>&]]>" in summary
    plan = full_text(ws.outbox / "SYT" / "Ke-hoach-trien-khai-phong-trao-thi-dua.docx")
    assert "Tuyên truyền {{ lipsum }} & <w:br/>" in plan and "{% raw %}" in plan


def test_template_code_typed_into_a_word_form_appears_literally(ws, tmp_path):
    value = "Đạt {{ 7*7 }} chỉ tiêu {%p if x %} <w:p> & ]]> {{r x }}"
    src = bc_document_file(tmp_path, {"highlights": value})
    path = drop(ws, "SNV", "bao-cao.docx", src.read_bytes())
    outcome = run_bad_then_good(ws, path)
    assert outcome.status == "accepted", outcome.problems
    summary = full_text(ws.outbox / "_tong-hop" / "Bao-cao-tong-hop-ket-qua-Nam-2025.docx")
    assert value in summary


FORMULA_LIKE = {"C3": "=1+1", "F2": "+84 912 345 678", "G2": "-Phòng Tổ chức",
                "I3": "@SUM(A1:A9) hoàn thành xuất sắc nhiệm vụ năm 2025",
                "K2": '=HYPERLINK("http://x.example","bấm")'}


def as_text(path: Path, sheet: str, cells: dict[str, str]) -> Path:
    """Type values into cells as text (Excel: a leading apostrophe), however they begin."""
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref].value = value
        wb[sheet][ref].data_type = "s"
    wb.save(path)
    return path


def formulas_in(path: Path) -> list[str]:
    """Cells stored as formulas, straight from the sheet XML."""
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and b"<f" in zf.read(
                    name):
                found.append(name)
    wb = load_workbook(path)
    found += [f"{s.title}!{c.coordinate}" for s in wb.worksheets for r in s.iter_rows() for c in r
              if c.data_type == "f"]
    return found


def test_formula_like_text_stays_text_in_the_marked_up_copy(ws):
    path = dn_workbook(ws.inbox / "SNV" / "cong-thuc.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An", gender="?"), person("B")])
    data = as_text(path, "Danh sách", FORMULA_LIKE).read_bytes()
    outcome = run_bad_then_good(ws, path)
    assert_refused(ws, outcome, data, "“Giới tính” không hợp lệ")
    marked = the_one(ws.outbox / "SNV", "*-Danh-dau-loi-cong-thuc.xlsx")
    assert formulas_in(marked) == []
    sheet = load_workbook(marked)["Danh sách"]
    assert {ref: sheet[ref].value for ref in FORMULA_LIKE} == FORMULA_LIKE
    assert {sheet[ref].data_type for ref in FORMULA_LIKE} == {"s"}


def test_formula_like_text_never_becomes_a_formula_in_the_provincial_workbook(ws):
    path = bc_workbook(ws.inbox / "SNV" / "bao-cao.xlsx", "SNV", [3, 300, 12, 2, 1, 4])
    as_text(path, "Đánh giá", {"B1": "=1+1 hội nghị @SUM(A1)"})
    as_text(path, "Kết quả", {"E2": "+5 so với kế hoạch", "E3": "-2", "E4": "@ghi chú"})
    bc_workbook(ws.inbox / "SYT" / "bao-cao.xlsx", "SYT", [1, 2, 3, 4, 5, 6])
    outcomes = process_all(ws)
    assert [o.status for o in outcomes] == ["accepted", "accepted"], [o.problems for o in outcomes]
    book = ws.outbox / "_tong-hop" / "Bao-cao-tong-hop-ket-qua-Nam-2025.xlsx"
    wb = load_workbook(book)
    formulas = [c.value for s in wb.worksheets for r in s.iter_rows() for c in r
                if c.data_type == "f"]
    # docflow's own totals and ratios only: nothing a unit typed became a formula
    assert formulas and all(f.startswith(("=SUM(", "=IF(", "=D")) for f in formulas)
    assert not any(bad in f for f in formulas for bad in ("1+1", "@", "so với", "-2"))
    rows = {r[1]: r for r in wb["Theo đơn vị"].iter_rows(min_row=6, values_only=True)}
    assert rows["SNV"][6:24:3] == (3, 300, 12, 2, 1, 4)
    summary = full_text(ws.outbox / "_tong-hop" / "Bao-cao-tong-hop-ket-qua-Nam-2025.docx")
    assert "=1+1 hội nghị @SUM(A1)" in summary


# --- names ---------------------------------------------------------------------------------------

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def windows_safe(name: str) -> bool:
    stem = name.split(".", 1)[0].upper()
    return (stem not in WINDOWS_RESERVED and not any(c in name for c in '<>:"/\\|?*')
            and not name.endswith((".", " ")) and len(name.encode()) <= 255)


@pytest.mark.parametrize("name", ["a..b.xlsx", "de-nghi..xlsx", "CON.xlsx", "nul.xlsx",
                                  "AUX.xlsx", "com1.xlsx", "x" * 245 + ".xlsx",
                                  "đề nghị (bản cuối) #1 ; 'x'.xlsx"])
def test_an_odd_file_name_is_answered_under_a_safe_name(ws, name):
    data = dn_workbook(ws.inbox / "SNV" / name, dn_info("SNV"), [person("Nguyễn Văn An")]
                       ).read_bytes()
    outcome = run_bad_then_good(ws, ws.inbox / "SNV" / name)
    assert outcome.status == "accepted", outcome.problems
    receipt = the_one(ws.outbox / "SNV", "*-Phieu-tiep-nhan-*.docx")
    assert f"“{name}”" in full_text(receipt)
    assert all(windows_safe(p.name) for p in ws.outbox.rglob("*")), \
        [p.name for p in ws.outbox.rglob("*") if not windows_safe(p.name)]
    assert the_one(ws.state("archive") / "SNV", f"*/{name}").read_bytes() == data


def test_a_refused_file_with_a_reserved_name_gets_its_answers_under_safe_names(ws):
    path = dn_workbook(ws.inbox / "SNV" / "nul.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An", gender="?")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    assert_refused(ws, outcome, data, "“Giới tính” không hợp lệ")
    assert the_one(ws.outbox / "SNV", "*-Danh-dau-loi-nul.xlsx")
    assert all(windows_safe(p.name) for p in ws.outbox.rglob("*"))


def test_a_name_in_decomposed_unicode_is_kept_and_answered_in_composed_form(ws):
    nfd = unicodedata.normalize("NFD", "Đề nghị khen thưởng.xlsx")
    path = dn_workbook(ws.inbox / "SNV" / nfd, dn_info("SNV"), [person("Nguyễn Văn An")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    nfc = unicodedata.normalize("NFC", nfd)
    assert outcome.status == "accepted" and outcome.name == nfc
    receipt = the_one(ws.outbox / "SNV", "*-Phieu-tiep-nhan-De-nghi-khen-thuong.docx")
    assert f"“{nfc}”" in full_text(receipt)
    assert the_one(ws.state("archive") / "SNV", f"*/{nfc}").read_bytes() == data
    assert ledger_row(ws, nfc)["status"] == "accepted"


def test_a_name_starting_with_a_dot_is_treated_as_hidden_and_left_untouched(ws):
    """Dot names are temporary or hidden files (.~lock, ._x, .x.part); never claimed, never lost."""
    path = dn_workbook(ws.inbox / "SNV" / "..de-nghi.xlsx", dn_info("SNV"), [person("An")])
    assert waiting(ws.inbox) == []
    assert process_all(ws) == []
    assert path.is_file()


def _longest_name(suffix: str = ".xlsx") -> str:
    """A Vietnamese name exactly 255 bytes long, the most a Linux or NTFS name can hold."""
    name = ""
    for ch in "Đề nghị khen thưởng tập thể và cá nhân " * 20:
        if len((name + ch + suffix).encode()) > 255:
            break
        name += ch
    name += "x" * (255 - len((name + suffix).encode()))
    assert len((name + suffix).encode()) == 255
    return name + suffix


def test_a_second_version_under_the_longest_possible_name_is_archived_too(ws, clock):
    name = _longest_name()
    dn_workbook(ws.inbox / "SNV" / name, dn_info("SNV"), [person("Nguyễn Văn An")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    clock.advance(3600)
    dn_workbook(ws.inbox / "SNV" / name, dn_info("SNV"), [person("Trần Thị Bình", "Nữ")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    assert len([p for p in ws.state("archive").rglob("*.xlsx")]) == 2
    assert not [p for p in ws.state("work").rglob("*") if p.is_file()]
    assert not (ws.outbox / "_quan-tri").exists()


def test_two_files_with_the_same_stem_each_get_their_own_answer(ws):
    drop(ws, "SNV", "ho-so.xlsx", b"not a workbook")
    drop(ws, "SNV", "ho-so.docx", b"not a document")
    outcomes = process_all(ws)
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    reports = sorted((ws.outbox / "SNV").glob("*-Phieu-bao-loi-*.docx"))
    assert len(reports) == 2
    named = {name for r in reports for name in ("ho-so.xlsx", "ho-so.docx")
             if f"“{name}”" in full_text(r)}
    assert named == {"ho-so.xlsx", "ho-so.docx"}


# --- where the file was dropped ------------------------------------------------------------------

def test_a_file_for_another_unit_is_returned_to_its_owner_not_marked_up_for_the_folder(ws):
    path = dn_workbook(ws.inbox / "SYT" / "cua-so-noi-vu.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path, good_unit="STC")
    assert outcome.status == "rejected" and [p.code for p in outcome.problems] == ["unit.misfiled"]
    notice = the_one(ws.outbox / "SYT", "*-Tep-cua-don-vi-khac-cua-so-noi-vu.txt")
    assert "là hồ sơ đề nghị khen thưởng của Sở Nội vụ" in notice.read_text("utf-8")
    assert not list((ws.outbox / "SYT").glob("*Phieu-bao-loi*"))  # nothing asks SYT to relabel
    assert not list((ws.outbox / "SYT").glob("*Danh-dau-loi*"))  # nor copies SNV's people to it
    told = the_one(ws.outbox / "SNV", "*-Tep-gui-nham-thu-muc-cua-so-noi-vu.txt")
    assert "inbox/SNV/" in told.read_text("utf-8")
    kept = the_one(ws.state("rejected") / "SYT", f"*/{outcome.name}")
    assert kept.read_bytes() == data
    assert "Nguyễn Văn An" not in full_text(ws.outbox / DECISION)


def test_a_file_in_the_inbox_root_is_reported_to_the_administrator(ws):
    path = dn_workbook(ws.inbox / "de-nghi.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    text = assert_refused(ws, outcome, data, "Tệp được đặt thẳng vào thư mục inbox",
                          folder="_quan-tri", kept_in="_goc")
    assert "inbox/<MÃ ĐƠN VỊ>/" in text
    assert not (ws.outbox / "SNV").exists()


def test_a_folder_of_an_unknown_unit_is_reported_to_the_administrator(ws):
    path = dn_workbook(ws.inbox / "SO-LA" / "de-nghi.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An")])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    assert_refused(ws, outcome, data, "Thư mục “SO-LA” không phải mã đơn vị nào trong danh mục",
                   folder="_quan-tri", kept_in="SO-LA")
    assert not (ws.outbox / "SO-LA").exists() and not (ws.outbox / "SNV").exists()


# --- legacy encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, signer, encoding", [
    ("NguyÔn V¨n Hoµ", "TrÇn V¨n B×nh", "TCVN3"),
    ("Nguyeãn Vaên Hoøa", "Traàn Vaên Bình", "VNI"),
])
def test_text_typed_in_a_legacy_vietnamese_encoding_is_refused_cell_by_cell(ws, name, signer,
                                                                             encoding):
    path = dn_workbook(ws.inbox / "SNV" / "ma-cu.xlsx", dn_info("SNV", signer=signer),
                       [person(name)])
    data = path.read_bytes()
    outcome = run_bad_then_good(ws, path)
    text = assert_refused(ws, outcome, data, f"được gõ bằng bảng mã {encoding}")
    assert {p.location for p in outcome.problems} == {"Thông tin!B8", "Danh sách!C2"}
    assert f"chuyển từ {encoding} sang Unicode" in text
