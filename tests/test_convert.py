"""Word documents become PDFs: a fake for fast tests, and LibreOffice kept running for real.

The LibreOffice tests run the real program (CI installs it); they are never skipped.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from test_templates import sample_context

from docflow.config import Output
from docflow.convert.pool import FakeConverter, LibreOfficeConverter, open_converter, pdf_bytes
from docflow.errors import ConfigError, ConversionError
from docflow.documents.contexts import chunks
from docflow.documents.render import Renderer

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
DECISION = "quyet-dinh-bang-khen.docx"
VIETNAMESE = "Nguyễn Thị Hoà, Đại Từ, Quyết định"
TITLE = "Quyết định tặng Bằng khen của Chủ tịch UBND tỉnh"
AUTHOR = "Ủy ban nhân dân tỉnh Thái Nguyên"


def decision_docx(folder: Path, name: str = "quyet-dinh.docx", rows: int = 3) -> Path:
    """The shipped award decision rendered with a sample context; `rows` nominees in one group."""
    ctx = sample_context(DECISION)
    ctx["signature"]["name"] = VIETNAMESE
    items = [{"stt": str(i + 1), "name": f"Ông Cá nhân {i + 1}", "detail": "Sở Nội vụ",
              "amount": "3.510.000", "summary": ""} for i in range(rows)]
    ctx["individual_groups"] = [{"label": "1. Ủy ban nhân dân huyện Đại Từ", "items": items}]
    ctx["individual_tables"] = chunks(ctx["individual_groups"])
    path = folder / name
    path.write_bytes(Renderer(TEMPLATES).render(DECISION, ctx))
    return path


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font on every page, composite fonts included."""
    found = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for leaf in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = leaf["/FontDescriptor"].get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.append((str(leaf["/BaseFont"]), embedded))
    return found


def live_members(pgid: int) -> list[tuple[int, str]]:
    """(pid, name) of every process of a group that is still running (zombies excluded)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        state, _ppid, group = stat[stat.rindex(")") + 2:].split()[:3]
        if int(group) == pgid and state != "Z":
            members.append((int(entry.name), name))
    return members


def ended(pgid: int, patience: float = 5.0) -> bool:
    """Whether every process of a group has exited; SIGKILL is delivered at once but a
    process needs a moment to finish dying, so this waits a little before it says no."""
    deadline = time.monotonic() + patience
    while live_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def soffice_bin(converter: LibreOfficeConverter) -> int:
    """The pid of the one soffice.bin a single-instance converter runs."""
    (group,) = converter.process_groups()
    (pid,) = [pid for pid, name in live_members(group) if name == "soffice.bin"]
    return pid


# ---------------------------------------------------------------------------------------------
# The fake converter


def test_fake_pdf_carries_the_documents_text_title_and_author(tmp_path):
    doc = Document()
    doc.add_paragraph("QUYẾT ĐỊNH")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = VIETNAMESE
    doc.save(tmp_path / "a.docx")

    FakeConverter().to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", title=TITLE, author=AUTHOR)

    reader = PdfReader(tmp_path / "a.pdf")
    assert (reader.metadata.title, reader.metadata.author) == (TITLE, AUTHOR)
    assert pdf_text(tmp_path / "a.pdf").splitlines()[:2] == ["QUYẾT ĐỊNH", VIETNAMESE]


def test_fake_pdf_of_a_long_document_has_several_pages(tmp_path):
    doc = Document()
    for i in range(120):
        doc.add_paragraph(f"Dòng {i + 1}")
    doc.save(tmp_path / "long.docx")

    FakeConverter().to_pdf(tmp_path / "long.docx", tmp_path / "long.pdf")

    assert len(PdfReader(tmp_path / "long.pdf").pages) == 3
    assert "Dòng 120" in pdf_text(tmp_path / "long.pdf")


def test_fake_records_its_calls_and_leaves_no_partial_file(tmp_path):
    fake = FakeConverter()
    source = decision_docx(tmp_path)
    fake.to_pdf(source, tmp_path / "out.pdf")
    assert fake.calls == [(source, tmp_path / "out.pdf")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf", "quyet-dinh.docx"]


def test_pdf_bytes_converts_a_document_held_in_memory_and_leaves_nothing_behind(tmp_path):
    doc = Document()
    doc.add_paragraph(VIETNAMESE)
    doc.save(tmp_path / "in.docx")
    scratch = tmp_path / "work"
    scratch.mkdir()

    data = pdf_bytes(FakeConverter(), (tmp_path / "in.docx").read_bytes(), "quyet-dinh.docx",
                     scratch, title=TITLE, author=AUTHOR)

    (tmp_path / "out.pdf").write_bytes(data)
    assert PdfReader(tmp_path / "out.pdf").metadata.title == TITLE
    assert VIETNAMESE in pdf_text(tmp_path / "out.pdf")
    assert list(scratch.iterdir()) == []


def test_fake_refuses_a_file_that_is_not_a_word_document(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with pytest.raises(ConversionError, match=r"broken\.docx"):
        FakeConverter().to_pdf(tmp_path / "broken.docx", tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()


# ---------------------------------------------------------------------------------------------
# Opening the real converter (LibreOffice is not started until the first document)


def test_missing_libreoffice_names_the_debian_packages_to_install(tmp_path):
    with pytest.raises(ConversionError) as caught:
        LibreOfficeConverter(tmp_path, soffice="no-such-soffice")
    assert "libreoffice-writer-nogui" in str(caught.value)
    assert "python3-uno" in str(caught.value) and "pdf = false" in str(caught.value)


def test_a_python_without_uno_is_refused_with_the_package_to_install(tmp_path):
    with pytest.raises(ConversionError, match="python3-uno"):
        LibreOfficeConverter(tmp_path, uno_python="/bin/false")


def test_open_converter_reads_the_output_settings(tmp_path):
    converter = open_converter(Output(pdf=True, instances=3), tmp_path)
    try:
        assert isinstance(converter, LibreOfficeConverter)
        assert sorted(p.name for p in (tmp_path / "libreoffice").iterdir()) == [
            "office-0", "office-1", "office-2"]
        assert converter.process_groups() == []  # nothing started yet
    finally:
        converter.close()


def test_open_converter_refuses_impossible_settings(tmp_path):
    with pytest.raises(ConfigError, match=r"output\.instances"):
        open_converter(Output(instances=0), tmp_path)


def test_a_closed_converter_refuses_work(tmp_path):
    converter = LibreOfficeConverter(tmp_path / "state", instances=1)
    converter.close()
    converter.close()
    with pytest.raises(ConversionError, match="đã đóng"):
        converter.to_pdf(decision_docx(tmp_path), tmp_path / "qd.pdf")


def test_two_converters_on_one_state_folder_use_separate_profiles(tmp_path):
    first = LibreOfficeConverter(tmp_path, instances=1)
    second = LibreOfficeConverter(tmp_path, instances=1)
    try:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["office-0", "office-1"]
    finally:
        first.close()
        second.close()


# ---------------------------------------------------------------------------------------------
# The real LibreOffice


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    converter = LibreOfficeConverter(tmp_path_factory.mktemp("state"), instances=2,
                                     timeout_seconds=60)
    yield converter
    groups = converter.process_groups()
    converter.close()
    assert all(ended(g) for g in groups), "LibreOffice left running after close()"


def test_decision_becomes_a_pdf_with_title_embedded_fonts_and_intact_vietnamese(office, tmp_path):
    source = decision_docx(tmp_path)

    office.to_pdf(source, tmp_path / "quyet-dinh.pdf", title=TITLE, author=AUTHOR)

    reader = PdfReader(tmp_path / "quyet-dinh.pdf")
    assert len(reader.pages) > 1  # the decision, then its list on a new page
    assert (reader.metadata.title, reader.metadata.author) == (TITLE, AUTHOR)
    text = pdf_text(tmp_path / "quyet-dinh.pdf")
    for words in (VIETNAMESE, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "Ủy ban nhân dân huyện Đại Từ", "QUYẾT ĐỊNH:"):
        assert words in text
    fonts = fonts_of(tmp_path / "quyet-dinh.pdf")
    assert fonts and all(embedded for _, embedded in fonts)
    # Times New Roman falls back to Liberation Serif 2.x, which has every Vietnamese glyph;
    # DejaVu would mean a glyph was missing and the text mixed fonts.
    assert all("LiberationSerif" in name for name, _ in fonts)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part" or ".part" in p.name] == []


def test_a_document_libreoffice_cannot_open_is_named_and_the_next_one_converts(office, tmp_path):
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConversionError, match=r"hong\.docx"):
        office.to_pdf(tmp_path / "hong.docx", tmp_path / "hong.pdf")
    assert not (tmp_path / "hong.pdf").exists()

    office.to_pdf(decision_docx(tmp_path), tmp_path / "ok.pdf")
    assert VIETNAMESE in pdf_text(tmp_path / "ok.pdf")


def test_two_threads_convert_at_once_on_two_libreoffice_processes(office, tmp_path):
    sources = [decision_docx(tmp_path, f"qd-{i}.docx") for i in range(4)]
    errors: list[BaseException] = []

    def convert(batch):
        try:
            for source in batch:
                office.to_pdf(source, source.with_suffix(".pdf"), title=source.stem)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=convert, args=(sources[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert len(office.process_groups()) == 2
    for source in sources:
        assert PdfReader(source.with_suffix(".pdf")).metadata.title == source.stem


def test_a_hung_libreoffice_is_killed_after_the_timeout_and_replaced(tmp_path):
    with LibreOfficeConverter(tmp_path / "state", instances=1, timeout_seconds=5) as converter:
        converter.to_pdf(decision_docx(tmp_path), tmp_path / "first.pdf")
        (hung_group,) = converter.process_groups()
        os.kill(soffice_bin(converter), signal.SIGSTOP)  # alive but never answers

        started = time.monotonic()
        with pytest.raises(ConversionError, match="quá 5 giây"):
            converter.to_pdf(tmp_path / "quyet-dinh.docx", tmp_path / "second.pdf")
        assert time.monotonic() - started < 15
        assert ended(hung_group), live_members(hung_group)

        converter.to_pdf(tmp_path / "quyet-dinh.docx", tmp_path / "third.pdf")
        assert converter.process_groups() != [hung_group]
        assert VIETNAMESE in pdf_text(tmp_path / "third.pdf")


def test_libreoffice_killed_mid_job_is_restarted_and_the_job_still_succeeds(tmp_path):
    with LibreOfficeConverter(tmp_path / "state", instances=1) as converter:
        converter.to_pdf(decision_docx(tmp_path), tmp_path / "warm.pdf")
        (old_group,) = converter.process_groups()
        victim = soffice_bin(converter)
        # LibreOffice works on it for seconds: the kill at 0.3 s falls inside the job
        big = decision_docx(tmp_path, "dai.docx", rows=1500)
        killer = threading.Timer(0.3, os.kill, (victim, signal.SIGKILL))

        killer.start()
        converter.to_pdf(big, tmp_path / "dai.pdf")
        killer.join()

        assert converter.process_groups() != [old_group]
        assert len(PdfReader(tmp_path / "dai.pdf").pages) > 5
        converter.to_pdf(tmp_path / "quyet-dinh.docx", tmp_path / "next.pdf")
        assert VIETNAMESE in pdf_text(tmp_path / "next.pdf")


def test_each_libreoffice_is_restarted_after_its_quota_of_jobs(tmp_path):
    source = decision_docx(tmp_path)
    with LibreOfficeConverter(tmp_path / "state", instances=1,
                              restart_after_jobs=2) as converter:
        converter.to_pdf(source, tmp_path / "1.pdf")
        (first,) = converter.process_groups()
        converter.to_pdf(source, tmp_path / "2.pdf")
        assert converter.process_groups() == []  # stopped cleanly after two jobs
        assert ended(first), live_members(first)
        converter.to_pdf(source, tmp_path / "3.pdf")
        assert converter.process_groups() not in ([], [first])


def test_a_libreoffice_grown_past_its_memory_limit_is_restarted_before_the_next_job(tmp_path):
    source = decision_docx(tmp_path)
    with LibreOfficeConverter(tmp_path / "state", instances=1) as converter:
        converter.to_pdf(source, tmp_path / "1.pdf")
        (office,) = converter._offices
        assert 100 < office.memory_mb() < 2000   # LibreOffice with its bridge, measured
        (first,) = converter.process_groups()
        converter.restart_above_mb = 100          # as if it had grown past the configured size
        converter.to_pdf(source, tmp_path / "2.pdf")
        assert converter.process_groups() == []   # stopped after the job, not during it
        assert ended(first), live_members(first)
        converter.restart_above_mb = 10_000
        converter.to_pdf(source, tmp_path / "3.pdf")   # on a fresh LibreOffice, kept running
        assert converter.process_groups() not in ([], [first])
    assert VIETNAMESE in pdf_text(tmp_path / "3.pdf")


def test_the_windows_way_of_reading_the_uno_bridge_converts_too(tmp_path):
    """Windows cannot select() on a pipe; the thread-and-queue reader it uses, run here."""
    converter = LibreOfficeConverter(tmp_path / "state", instances=1, timeout_seconds=60)
    try:
        for process in converter._offices:
            process.threaded_read = True
        converter.to_pdf(decision_docx(tmp_path), tmp_path / "quyet-dinh.pdf", title=TITLE)
        assert VIETNAMESE in pdf_text(tmp_path / "quyet-dinh.pdf")
    finally:
        converter.close()
