"""A long province-wide list is made in pieces: each table of its annex rendered once per content,
its PDF joined from parts converted once per content; the documents read as a whole making."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import replace
import zipfile
from pathlib import Path

import pytest
from builders import workspace
from docx import Document as open_docx
from pypdf import PdfReader

from docflow.config import load
from docflow.convert import LibreOfficeConverter
from docflow.convert.pool import FakeConverter
from docflow.delivery import deliver_all
from docflow.documents import Document, Renderer, stamp
from docflow.documents.checks import _samples
from docflow.documents.contexts import chunks
from docflow.errors import ConversionError
from docflow.workspace import Workspace

TEMPLATE = "quyet-dinh-bang-khen.docx"
TARGET = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
NOW = dt.datetime(2025, 12, 1, 9, 0)


def decision(config, units: dict[str, int], rename: dict[str, str] | None = None) -> dict:
    """The Chairman's decision listing `rows` people for each unit name, in that order."""
    context = _samples(config, NOW)["quyet_dinh_bang_khen"][0]
    groups, stt = [], 0
    for number, (unit, rows) in enumerate(units.items(), start=1):
        items = []
        for k in range(1, rows + 1):
            stt += 1
            items.append({"stt": str(stt), "name": f"Ông Nguyễn Văn {unit}-{k}",
                          "detail": f"Chuyên viên {unit}", "amount": "3.510.000", "summary": ""})
        label = (rename or {}).get(unit, f"Đơn vị {unit}")
        groups.append({"label": f"{number}. {label}", "items": items})
    return {**context, "collective_groups": [], "collective_tables": [],
            "individual_groups": groups, "individual_tables": chunks(groups)}


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml")


@pytest.fixture
def renderer(tmp_path):
    config = load(workspace(tmp_path))
    return config, Renderer(config.path("templates"))


# ---------------------------------------------------------------------------------------------
# Word: each table rendered once per content


def test_one_more_unit_renders_only_its_table_and_the_decision_reads_as_a_whole_render(renderer):
    config, r = renderer
    r.render(TEMPLATE, decision(config, {"A": 30, "B": 30}))
    grown = decision(config, {"A": 30, "B": 30, "C": 5})
    data = r.render(TEMPLATE, grown)
    assert (r.stats[TEMPLATE].made, r.stats[TEMPLATE].reused) == (1, 2)
    fresh = Renderer(config.path("templates")).render(TEMPLATE, grown)
    assert document_xml(data) == document_xml(fresh)
    text = document_xml(data).decode("utf-8")
    assert text.index("Ông Nguyễn Văn A-30") < text.index("Ông Nguyễn Văn C-5")


def test_a_unit_whose_rows_changed_has_only_its_table_made_again(renderer):
    config, r = renderer
    r.render(TEMPLATE, decision(config, {"A": 30, "B": 30, "C": 30}))
    data = r.render(TEMPLATE, decision(config, {"A": 30, "B": 30, "C": 31}))
    assert (r.stats[TEMPLATE].made, r.stats[TEMPLATE].reused) == (1, 2)
    assert "Ông Nguyễn Văn C-31" in document_xml(data).decode("utf-8")


def test_a_unit_renamed_in_config_has_its_table_made_again(renderer):
    config, r = renderer
    r.render(TEMPLATE, decision(config, {"A": 30, "B": 30}))
    data = r.render(TEMPLATE, decision(config, {"A": 30, "B": 30}, rename={"B": "Sở Mới"}))
    assert (r.stats[TEMPLATE].made, r.stats[TEMPLATE].reused) == (1, 1)
    assert "2. Sở Mới" in document_xml(data).decode("utf-8")


def test_a_changed_template_makes_every_table_again(renderer):
    config, r = renderer
    context = decision(config, {"A": 30, "B": 30})
    r.render(TEMPLATE, context)
    path = config.path("templates") / TEMPLATE
    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # same parts, other bytes
        for info, data in entries:
            zf.writestr(info.filename, data)
    r.render(TEMPLATE, context)
    assert (r.stats[TEMPLATE].made, r.stats[TEMPLATE].reused) == (2, 0)


def test_the_kept_tables_take_a_fraction_of_their_xml_and_the_oldest_go_past_the_bound(renderer):
    config, r = renderer
    context = decision(config, {"A": 100, "B": 100, "C": 100})
    xml = document_xml(r.render(TEMPLATE, context))
    kept = r._cache.size
    assert 0 < kept * 5 < len(xml)  # compressed: the three tables' XML is most of the document
    small = Renderer(config.path("templates"))
    small._cache.limit = kept // 2  # room for about one table
    assert document_xml(small.render(TEMPLATE, context)) == xml
    assert small._cache.size <= kept // 2
    small.render(TEMPLATE, context)
    assert (small.stats[TEMPLATE].made, small.stats[TEMPLATE].reused) == (3, 0)
    r.render(TEMPLATE, context)
    assert (r.stats[TEMPLATE].made, r.stats[TEMPLATE].reused) == (0, 3)  # the roomy one keeps all


# ---------------------------------------------------------------------------------------------
# PDF: parts converted once per content and joined


@pytest.fixture
def fake_ws(tmp_path, clock):
    converter = FakeConverter()
    opened = Workspace.open(load(workspace(tmp_path)), clock, converter=converter)
    yield opened, converter
    opened.close()


def draft(config, units: dict[str, int]) -> Document:
    return Document(TEMPLATE, decision(config, units), TARGET, "Dự thảo Quyết định",
                    mark="DN-BKUBND-1")


def breaks_before(docx: Path) -> list[str]:
    """The first name of each table that starts a new page in the delivered .docx."""
    xml = document_xml(docx.read_bytes()).decode("utf-8")
    return [xml[at:].split("Ông Nguyễn Văn ", 1)[1].split("<", 1)[0]
            for at in range(len(xml)) if xml.startswith("<w:pageBreakBefore/>", at)]


def test_a_long_list_pdf_is_joined_from_parts_in_order_and_the_docx_breaks_where_they_begin(
        fake_ws):
    ws, _ = fake_ws
    deliver_all([draft(ws.config, {"A": 400, "B": 250, "C": 300})], ws)
    docx = ws.outbox / TARGET
    assert breaks_before(docx) == ["B-1", "C-201"]  # after 400 rows, where a table begins
    pdf = PdfReader(docx.with_suffix(".pdf"))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert text.index("QUYẾT ĐỊNH") < text.index("A-1\n") < text.index("B-250") \
        < text.index("C-250")
    assert all(f"Ông Nguyễn Văn {u}-{k}" in text for u in "ABC" for k in (1, 100, 250))
    names = [line for line in text.splitlines() if line.startswith("Ông Nguyễn Văn")]
    assert len(names) == 950 and names[400] == "Ông Nguyễn Văn B-1"
    footers = [p.text for s in open_docx(str(docx)).sections for p in s.footer.paragraphs]
    assert "Mã dự thảo: DN-BKUBND-1" in footers
    assert pdf.metadata.title == "Dự thảo Quyết định"


def test_a_short_list_is_converted_whole_and_its_docx_gets_no_break(fake_ws):
    ws, converter = fake_ws
    deliver_all([draft(ws.config, {"A": 100, "B": 100})], ws)
    assert breaks_before(ws.outbox / TARGET) == []
    assert len(converter.calls) == 1
    assert not list(ws.state("pdf-parts").glob("*.pdf"))


def test_one_more_unit_at_the_end_converts_only_the_last_part_again(fake_ws):
    ws, converter = fake_ws
    deliver_all([draft(ws.config, {"A": 400, "B": 400, "C": 100})], ws)
    first = len(converter.calls)
    assert first == 6  # the front, three parts, the page numbers, the footers
    deliver_all([draft(ws.config, {"A": 400, "B": 400, "C": 100, "D": 20})], ws)
    # only the part holding C and now D: the front (its counts are the sample's here), the
    # blank pages for the numbers (same block of pages) and for the footers (same mark) are not
    assert len(converter.calls) - first == 1
    text = "\n".join(p.extract_text() for p in PdfReader(ws.outbox / TARGET.replace(
        ".docx", ".pdf")).pages)
    assert text.index("B-400") < text.index("C-100") < text.index("D-20")


def test_a_new_making_of_the_same_list_converts_only_the_front_and_the_footers(fake_ws):
    ws, converter = fake_ws
    deliver_all([draft(ws.config, {"A": 400, "B": 400})], ws)
    first = len(converter.calls)
    again = replace(draft(ws.config, {"A": 400, "B": 400}), mark="DN-BKUBND-2")
    deliver_all([again], ws)
    assert len(converter.calls) - first == 2  # the Mã dự thảo is new: the front and footers
    docx = ws.outbox / TARGET
    footers = {p.text for s in open_docx(str(docx)).sections for p in s.footer.paragraphs}
    assert "Mã dự thảo: DN-BKUBND-2" in footers and "Mã dự thảo: DN-BKUBND-1" not in footers


class FailsOnThirdCall(FakeConverter):
    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        if len(self.calls) == 2:
            raise ConversionError("LibreOffice dừng đột ngột (thử nghiệm).")
        super().to_pdf(docx, pdf, title=title, author=author)


def test_a_conversion_failing_midway_leaves_the_previous_draft_whole_in_the_outbox(fake_ws):
    ws, _ = fake_ws
    deliver_all([draft(ws.config, {"A": 450, "B": 450})], ws)
    before = {p.name: p.read_bytes() for p in (ws.outbox / "_tong-hop").iterdir()}
    shutil.rmtree(ws.state("pdf-parts"))
    ws.converter = FailsOnThirdCall()
    with pytest.raises(ConversionError):
        deliver_all([draft(ws.config, {"A": 450, "B": 450, "C": 10})], ws)
    after = {p.name: p.read_bytes() for p in (ws.outbox / "_tong-hop").iterdir()}
    assert after == before
    for part in ws.state("pdf-parts").iterdir():  # only whole PDFs are kept for next time
        assert part.suffix == ".pdf" and len(PdfReader(part).pages) > 0


# ---------------------------------------------------------------------------------------------
# The real LibreOffice


def test_the_joined_pdf_reads_page_by_page_as_libreoffice_converting_the_docx_whole(tmp_path,
                                                                                    clock):
    converter = LibreOfficeConverter(tmp_path / "lo", instances=2, timeout_seconds=120)
    ws = Workspace.open(load(workspace(tmp_path)), clock, converter=converter)
    try:
        deliver_all([draft(ws.config, {"A": 300, "B": 200})], ws)
        docx = ws.outbox / TARGET
        whole = tmp_path / "whole.pdf"
        converter.to_pdf(docx, whole)
    finally:
        ws.close()
        converter.close()
    joined = [lines(p) for p in PdfReader(docx.with_suffix(".pdf")).pages]
    alone = [lines(p) for p in PdfReader(whole).pages]
    assert len(joined) == len(alone) > 10
    # the same lines on each page, page numbers and Mã dự thảo included (sorted: the lines drawn
    # over a page come last in its text)
    assert joined == alone
    annex = next(i for i, page in enumerate(joined) if "DANH SÁCH" in page)
    assert "2" in joined[annex + 1] and "2" not in joined[annex]
    assert all("Mã dự thảo: DN-BKUBND-1" in page for page in joined)


def lines(page) -> list[str]:
    return sorted(line.strip() for line in page.extract_text().splitlines() if line.strip())


def package(data: bytes) -> list[tuple[str, bytes]]:
    """Each part of a .docx, in order, as it reads unzipped."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return [(name, zf.read(name)) for name in zf.namelist()]


def test_a_draft_rendered_with_its_mark_reads_part_for_part_as_the_rendered_draft_stamped(
        renderer):
    config, r = renderer
    context = decision(config, {"A": 30, "B": 30})
    data = r.render(TEMPLATE, context, "DN-BKUBND-7")
    # the same parts byte for byte; the annex's deflated stream is joined from its tables'
    assert package(data) == package(stamp(r.render(TEMPLATE, context), "DN-BKUBND-7"))
    footers = [name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if "footer" in name]
    assert any("Mã dự thảo: DN-BKUBND-7" in zipfile.ZipFile(io.BytesIO(data)).read(name)
               .decode("utf-8") for name in footers)
