"""The documents of one making convert their PDFs together: a part two documents share once, on
every LibreOffice at once, the page numbers beside the parts rather than after them, each
package without the styles it never uses, and LibreOffice with jemalloc where it is installed.
Whatever the order, each joined PDF looks as LibreOffice converting the delivered .docx whole."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from builders import workspace
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from docflow.config import load
from docflow.convert import LibreOfficeConverter, stitched_pdf
from docflow.convert.office_setup import JEMALLOC
from docflow.convert.pool import FakeConverter
from docflow.convert.slim import slim
from docflow.convert.split import cut
from docflow.delivery import deliver_all
from docflow.documents import Document
from docflow.workspace import Workspace

from test_incremental_drafts import TARGET, TEMPLATE, decision, draft, lines

COPY = "_tong-hop/Ban-sao-danh-sach.docx"


class Labelled(FakeConverter):
    """The fake, noting what it was asked to convert: a part (by its first name), a front, or
    a number of blank pages."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        body = open_docx(str(docx)).element.body
        text = "".join(t.text or "" for t in body.iter(qn("w:t")))
        if "Ông Nguyễn Văn " in text:
            self.labels.append("part " + text.split("Ông Nguyễn Văn ", 1)[1].split("Chuyên")[0])
        elif "QUYẾT ĐỊNH" in text:
            self.labels.append("front")
        else:
            self.labels.append(f"{len(body.findall(qn('w:p')))} blank pages")
        super().to_pdf(docx, pdf, title=title, author=author)


@pytest.fixture
def labelled_ws(tmp_path, clock):
    converter = Labelled()
    opened = Workspace.open(load(workspace(tmp_path)), clock, converter=converter)
    yield opened, converter
    opened.close()


def copy_of(doc: Document) -> Document:
    """The same list in another document of the making (as the Tờ trình lists the decision's
    nominees), with its own Mã dự thảo."""
    return replace(doc, target=COPY, mark="DN-BKUBND-2")


def test_two_documents_listing_the_same_rows_convert_each_part_once(labelled_ws):
    ws, converter = labelled_ws
    first = draft(ws.config, {"A": 400, "B": 400, "C": 100})
    deliver_all([first, copy_of(first)], ws)
    parts = [label for label in converter.labels if label.startswith("part")]
    assert sorted(parts) == ["part A-1", "part B-1", "part C-1"]
    # each document has its own front and footers (its Mã dự thảo); the numbers are shared
    assert converter.labels.count("front") == 2
    assert converter.labels.count("2 blank pages") == 2
    assert len(converter.labels) == 8
    for target in (TARGET, COPY):
        text = "\n".join(p.extract_text() for p in PdfReader(
            ws.outbox / target.replace(".docx", ".pdf")).pages)
        assert text.index("A-400") < text.index("B-1\n") < text.index("C-100")


def test_the_page_numbers_go_right_after_the_first_part_and_the_short_jobs_last(labelled_ws):
    ws, converter = labelled_ws
    first = draft(ws.config, {"A": 400, "B": 400, "C": 100})
    deliver_all([first, copy_of(first)], ws)
    labels = converter.labels
    assert labels[0] == "part A-1"
    assert labels[1].endswith("blank pages") and labels[1] != "2 blank pages"
    last_part = max(i for i, label in enumerate(labels) if label.startswith("part"))
    assert labels[last_part + 1:] == ["front", "2 blank pages", "front", "2 blank pages"]


def long_tail(config, short: int, long: int, detail: str) -> dict:
    """A list whose first unit's rows are one line each and whose second unit's rows are long:
    its first part foretells too few pages for the whole annex."""
    context = decision(config, {"A": short, "B": long})
    for group in context["individual_groups"][1:]:
        for item in group["items"]:
            item["detail"] = detail
    return context


def test_a_list_longer_than_its_first_part_foretold_has_its_numbers_made_for_every_page(
        labelled_ws):
    ws, converter = labelled_ws
    context = long_tail(ws.config, 400, 200, "Chuyên viên " + "phòng nghiệp vụ " * 300)
    deliver_all([Document(TEMPLATE, context, TARGET, "Dự thảo", mark="DN-BKUBND-1")], ws)
    numbers = [label for label in converter.labels
               if label.endswith("blank pages") and label != "2 blank pages"]
    assert len(numbers) == 2  # the guess from the first part, then the exact count
    pages = len(PdfReader(ws.outbox / TARGET.replace(".docx", ".pdf")).pages)
    assert int(numbers[1].split()[0]) >= pages > int(numbers[0].split()[0])


def test_a_package_keeps_the_styles_it_uses_those_they_rest_on_and_the_defaults():
    styles = (b'<w:styles><w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
              b'<w:name w:val="Normal"/></w:style>'
              b'<w:style w:type="paragraph" w:styleId="Base"><w:basedOn w:val="Normal"/>'
              b'</w:style>'
              b'<w:style w:type="paragraph" w:styleId="TableText"><w:basedOn w:val="Base"/>'
              b'<w:link w:val="TableTextChar"/></w:style>'
              b'<w:style w:type="character" w:styleId="TableTextChar"/>'
              b'<w:style w:type="paragraph" w:styleId="Heading9"><w:name w:val="heading 9"/>'
              b'</w:style></w:styles>')
    package = {"word/styles.xml": styles, "word/document.xml":
               b'<w:body><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p></w:body>'}
    kept = slim(package)["word/styles.xml"]
    for used in (b"Normal", b"Base", b"TableText", b"TableTextChar"):
        assert b'w:styleId="%s"' % used in kept
    assert b"Heading9" not in kept and kept.startswith(b"<w:styles>")
    assert slim(package)["word/document.xml"] == package["word/document.xml"]


# ---------------------------------------------------------------------------------------------
# The real LibreOffice


def pixels(pdf: Path, folder: Path) -> list[bytes]:
    """Each page of the PDF as a 50 dpi picture."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / "p")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("p-*.png"))]


def test_documents_converted_together_look_as_libreoffice_converting_each_whole(tmp_path,
                                                                               clock):
    converter = LibreOfficeConverter(tmp_path / "lo", instances=2, timeout_seconds=120)
    ws = Workspace.open(load(workspace(tmp_path)), clock, converter=converter)
    try:
        first = draft(ws.config, {"A": 300, "B": 200})
        deliver_all([first, copy_of(first)], ws)
        for target in (TARGET, COPY):
            converter.to_pdf(ws.outbox / target, tmp_path / f"whole-{Path(target).stem}.pdf")
    finally:
        ws.close()
        converter.close()
    for target in (TARGET, COPY):
        joined = ws.outbox / target.replace(".docx", ".pdf")
        whole = tmp_path / f"whole-{Path(target).stem}.pdf"
        assert [lines(p) for p in PdfReader(joined).pages] == \
            [lines(p) for p in PdfReader(whole).pages]
        # the parts lost their unused styles; the pages did not change by a pixel
        assert pixels(joined, tmp_path / f"j-{Path(target).stem}") == \
            pixels(whole, tmp_path / f"w-{Path(target).stem}")
    assert "Mã dự thảo: DN-BKUBND-2" in PdfReader(ws.outbox / COPY.replace(
        ".docx", ".pdf")).pages[-1].extract_text()


def test_numbers_made_again_for_a_longer_list_than_foretold_read_as_the_whole(tmp_path, clock):
    config = load(workspace(tmp_path))
    ws = Workspace.open(config, clock, converter=None)
    try:
        context = long_tail(config, 50, 150, "Chuyên viên " + "phòng nghiệp vụ " * 40)
        docx = ws.renderer.render(TEMPLATE, context, "DN-BKUBND-1")
    finally:
        ws.close()
    with Counting(tmp_path / "lo", instances=2, timeout_seconds=120) as converter:
        delivered, pdf = stitched_pdf(converter, docx, "Quyet-dinh.docx", tmp_path / "parts",
                                      rows=50)
        made = converter.count
        (tmp_path / "delivered.docx").write_bytes(delivered)
        converter.to_pdf(tmp_path / "delivered.docx", tmp_path / "whole.pdf")
    (tmp_path / "joined.pdf").write_bytes(pdf)
    joined = [lines(p) for p in PdfReader(tmp_path / "joined.pdf").pages]
    assert len(joined) > 50  # more than one block of numbers, more than the first part foretold
    assert joined == [lines(p) for p in PdfReader(tmp_path / "whole.pdf").pages]
    # the front, each part, the footers, and the numbers twice: the guess, then the exact count
    assert made == 1 + len(cut(docx, 50).parts) + 1 + 2


class Counting(LibreOfficeConverter):
    count = 0

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        super().to_pdf(docx, pdf, title=title, author=author)
        self.count += 1


def test_libreoffice_runs_with_jemalloc_unless_told_to_keep_the_system_malloc(tmp_path,
                                                                             monkeypatch):
    assert any(Path(lib).is_file() for lib in JEMALLOC), \
        "libjemalloc2 must be installed (tools/setup-system.sh installs it)"
    def mapped(folder: Path) -> bool:
        with LibreOfficeConverter(folder, instances=1, timeout_seconds=120) as converter:
            (folder / "a.docx").parent.mkdir(parents=True, exist_ok=True)
            doc = open_docx()
            doc.add_paragraph("Khởi động.")
            doc.save(str(folder / "a.docx"))
            converter.to_pdf(folder / "a.docx", folder / "a.pdf")
            (group,) = converter.process_groups()
            maps = [Path(f"/proc/{pid}/maps").read_text() for pid in os.listdir("/proc")
                    if pid.isdigit() and _in_group(int(pid), group)
                    and "soffice.bin" in _command(int(pid))]
        assert maps, "no soffice.bin in the converter's process group"
        return all("libjemalloc" in m for m in maps)

    assert mapped(tmp_path / "with")
    monkeypatch.setenv("DOCFLOW_OFFICE_MALLOC", "system")
    assert not mapped(tmp_path / "without")


def _in_group(pid: int, group: int) -> bool:
    try:
        return os.getpgid(pid) == group
    except OSError:
        return False


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""
