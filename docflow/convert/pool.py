"""PDF from Word documents: LibreOffice kept running in a small pool, and a fake for fast tests.

    Converter (protocol)     to_pdf(docx, pdf, title=, author=), convert_to(src, dest, target),
                             close()
    ├── FakeConverter        a PDF carrying the docx's text, made by pypdf in milliseconds
    └── LibreOfficeConverter N LibreOffice processes (libreoffice.py), each driven over UNO
    open_converter(output, state_dir)   the real one, from the [output] settings
    pdf_bytes(converter, docx_bytes, …) for a document rendered in memory

A kept-running LibreOffice converts a decision in ~0.15 s against ~1.4 s for a cold
`soffice --convert-to` (bench/bench_convert.py). UNO exists only in Debian's system Python
(`python3-uno`), so each LibreOffice gets a bridge process there; the two speak JSON lines.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import tempfile
import textwrap
import uuid
import weakref
from pathlib import Path
from typing import Callable, Protocol, TextIO

from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject,
                           NumberObject, TextStringObject)

from docflow.config import Output
from docflow.errors import ConfigError, ConversionError
from docflow.convert.libreoffice import (LibreOfficeProcess, OfficeCrashed, OfficeHung, claim_folders,
                                 require_programs)


# LibreOffice's export filters for an old-format upload saved in today's format.
EXPORT_FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "docx": "MS Word 2007 XML"}


class Converter(Protocol):
    """Anything that turns a .docx into a .pdf at a given path; thread-safe."""

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        """Write `pdf` from `docx` with this title and author; ConversionError if it cannot."""

    def convert_to(self, src: Path, dest: Path, target: str) -> None:
        """Save an old-format office file as `target` ("xlsx" or "docx"); ConversionError if
        it cannot."""

    def close(self) -> None:
        """Release every process and file the converter holds."""


class FakeConverter:
    """A fast stand-in for unit tests: one line of PDF text per docx paragraph, metadata set."""

    LINES_PER_PAGE = 50

    def __init__(self) -> None:
        self.calls: list[tuple[Path, Path]] = []

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        """Write a small valid PDF holding the docx's text, title and author."""
        try:
            body = open_docx(str(docx)).element.body
        except Exception as exc:  # python-docx raises many kinds on a broken package
            raise ConversionError(f"Không mở được văn bản {docx.name} để chuyển sang PDF "
                                  f"({exc}); kiểm tra lại mẫu Word bằng `docflow check`.") from exc
        lines: list[str] = []
        for p in body.iter(qn("w:p")):
            if lines and p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
                lines += [""] * (-len(lines) % self.LINES_PER_PAGE)  # a new page, as Word does
            lines += textwrap.wrap("".join(t.text or "" for t in p.iter(qn("w:t"))), 90) or [""]
        _write_atomically(pdf, _text_pdf(lines, title, author, self.LINES_PER_PAGE))
        self.calls.append((docx, pdf))

    def convert_to(self, src: Path, dest: Path, target: str) -> None:
        """The fake cannot read old formats: callers then use a one-off LibreOffice."""
        raise ConversionError(f"Bộ chuyển giả không đọc được {src.name}.")

    def close(self) -> None:
        """Nothing to release."""


class LibreOfficeConverter:
    """N kept-running LibreOffice processes; each takes one job at a time, any thread may call."""

    def __init__(self, root: Path, *, instances: int = 2, timeout_seconds: float = 60.0,
                 restart_after_jobs: int = 200, restart_above_mb: int = 500,
                 soffice: str = "soffice",
                 uno_python: str = "/usr/bin/python3") -> None:
        soffice_path = require_programs(soffice, uno_python)
        self.timeout_seconds = timeout_seconds
        self.restart_after_jobs = restart_after_jobs
        self.restart_above_mb = restart_above_mb
        self._closed = False
        locks = claim_folders(root, instances)
        self._offices = [LibreOfficeProcess(Path(lock.name).parent, soffice_path, uno_python,
                                            timeout_seconds) for lock in locks]
        self._idle: queue.Queue[LibreOfficeProcess] = queue.Queue()
        for office in self._offices:
            self._idle.put(office)
        # A converter dropped without close() must not leave LibreOffice processes behind.
        self._finalizer = weakref.finalize(self, _stop_all, list(self._offices), locks)

    @property
    def instances(self) -> int:
        """How many documents can be converted at once."""
        return len(self._offices)

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        """Convert on the next free LibreOffice; ConversionError says what went wrong and why."""
        self._run(docx, pdf, {"title": title, "author": author}, check=_check_pdf)

    def convert_to(self, src: Path, dest: Path, target: str) -> None:
        """Save an old-format upload (.xls, .ods, .doc, .odt) as `target` (xlsx or docx) on
        the same kept-running LibreOffice; nothing in it runs or is fetched."""
        self._run(src, dest, {"filter": EXPORT_FILTERS[target]})

    def _run(self, src: Path, dest: Path, options: dict[str, str],
             check: Callable[[Path, str], None] | None = None) -> None:
        if self._closed:
            raise ConversionError("Bộ chuyển PDF đã đóng; khởi động lại docflow.")
        if not src.is_file():
            raise ConversionError(f"Không tìm thấy văn bản {src} để chuyển đổi.")
        part = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
        request = {"docx": str(src.resolve()), "pdf": str(part.resolve()), **options}
        office = self._idle.get()
        try:
            if self._closed:  # close() ran while this thread waited for a free LibreOffice
                raise ConversionError("Bộ chuyển PDF đã đóng; khởi động lại docflow.")
            self._convert(office, request, src.name)
            if check is not None:
                check(part, src.name)
            elif not part.is_file() or part.stat().st_size == 0:
                raise ConversionError(f"LibreOffice không tạo được bản chuyển đổi của {src.name}.")
            os.replace(part, dest)
        finally:
            self._idle.put(office)
            part.unlink(missing_ok=True)

    def _convert(self, office: LibreOfficeProcess, request: dict[str, str], name: str) -> None:
        # A crash is retried once on a fresh process (it may be an earlier job's fault); a hang
        # is not, since the same document would most likely hang again.
        for attempt in (1, 2):
            try:
                office.convert(request)
                break
            except OfficeCrashed as exc:
                office.kill()
                if attempt == 2:
                    raise ConversionError(
                        f"LibreOffice dừng đột ngột hai lần khi chuyển {name} sang PDF ({exc}). "
                        f"Mở văn bản bằng LibreOffice để kiểm tra; nhật ký: {office.log}.") from exc
            except OfficeHung as exc:
                office.kill()
                raise ConversionError(
                    f"Chuyển {name} sang PDF quá {self.timeout_seconds:g} giây nên đã bị dừng. "
                    "Văn bản có bảng quá dài thì tách nhỏ (ví dụ mỗi đơn vị một bảng), hoặc tăng "
                    "`timeout_seconds` trong mục [output] của config.toml.") from exc
        # A kept-running LibreOffice grows with every document (peers restart theirs every N
        # conversions); a fresh one starts on the next job, after a count or past a size.
        if office.jobs >= self.restart_after_jobs or office.memory_mb() > self.restart_above_mb:
            office.stop()

    def process_groups(self) -> list[int]:
        """Process-group ids of the running LibreOffice instances (for operators and tests)."""
        return [o.pgid for o in self._offices if o.pgid is not None]

    def close(self) -> None:
        """Stop every LibreOffice, waiting for jobs in progress; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        # Each office returns to the queue when its job ends; once all are back none is busy.
        offices = [self._idle.get() for _ in self._offices]
        self._finalizer()
        for office in offices:
            self._idle.put(office)  # threads still waiting wake up and see the converter closed

    def __enter__(self) -> LibreOfficeConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pdf_bytes(converter: Converter, docx: bytes, name: str, scratch: Path, *, title: str = "",
              author: str = "") -> bytes:
    """The PDF of a rendered docx held in memory, converted in a folder of its own under scratch."""
    folder = Path(tempfile.mkdtemp(prefix="pdf-", dir=scratch))
    try:
        source = folder / Path(name).with_suffix(".docx").name
        source.write_bytes(docx)
        converter.to_pdf(source, source.with_suffix(".pdf"), title=title, author=author)
        return source.with_suffix(".pdf").read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_converter(output: Output, state_dir: Path) -> LibreOfficeConverter:
    """The real converter for this config; its LibreOffice profiles live under `state_dir`."""
    problems = [p for p, bad in [
        ("output.instances: cần một số nguyên từ 1 trở lên.", output.instances < 1),
        ("output.timeout_seconds: cần một số giây lớn hơn 0.", output.timeout_seconds <= 0),
        ("output.restart_after_jobs: cần một số nguyên từ 1 trở lên.",
         output.restart_after_jobs < 1),
        ("output.restart_above_mb: cần một số MB từ 100 trở lên.",
         output.restart_above_mb < 100)] if bad]
    if problems:
        raise ConfigError("config.toml", problems)
    return LibreOfficeConverter(
        state_dir / "libreoffice", instances=output.instances,
        timeout_seconds=output.timeout_seconds, restart_after_jobs=output.restart_after_jobs,
        restart_above_mb=output.restart_above_mb,
        soffice=output.soffice, uno_python=output.uno_python)


def _stop_all(offices: list[LibreOfficeProcess], locks: list[TextIO]) -> None:
    for office in offices:
        office.stop()
    for lock in locks:
        lock.close()


def _check_pdf(path: Path, name: str) -> None:
    """Refuse to deliver a PDF that pypdf cannot read back."""
    try:
        pages = len(PdfReader(str(path)).pages)
    except Exception as exc:  # pypdf raises many kinds on a broken file
        raise ConversionError(f"LibreOffice tạo ra tệp PDF hỏng từ {name} ({exc}); "
                              "hãy thử lại, nếu còn lỗi thì mở văn bản bằng LibreOffice để "
                              "kiểm tra.") from exc
    if pages == 0:
        raise ConversionError(f"LibreOffice tạo ra tệp PDF không có trang nào từ {name}; "
                              "kiểm tra văn bản có nội dung không.")


def _write_atomically(path: Path, data: bytes) -> None:
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    part.write_bytes(data)
    os.replace(part, path)


# The fake's text uses Unicode code points as glyph ids and a ToUnicode map of exactly the
# characters used, so text extraction gives back Vietnamese exactly (and fast: a map of all
# 65,536 codes makes pypdf slow). No font is embedded: it is only a fake.
def _to_unicode(chars: set[str]) -> str:
    codes = sorted(f"<{ord(c):04X}>" for c in chars) or ["<0020>"]
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n" + "".join(f"{c} {c}\n" for c in chunk) + "endbfchar\n"
        for chunk in (codes[i:i + 100] for i in range(0, len(codes), 100)))
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{blocks}endcmap CMapName currentdict /CMap defineresource pop end end\n")


def _text_pdf(lines: list[str], title: str, author: str, per_page: int) -> bytes:
    """A PDF with `lines` of text, `per_page` lines to an A4 page, title and author set."""
    writer = PdfWriter()
    # Characters beyond U+FFFF would need surrogate pairs; Vietnamese never does.
    lines = ["".join(c for c in line if ord(c) <= 0xFFFF) for line in lines]
    font = _identity_font(writer, set("".join(lines)))
    for start in range(0, max(len(lines), 1), per_page):
        shown = " ".join(f"<{line.encode('utf-16-be').hex()}> Tj T*"
                         for line in lines[start:start + per_page])
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = _dict(Font=_dict(F1=font))
        page[NameObject("/Contents")] = _stream(writer, f"BT /F1 11 Tf 15 TL 56 790 Td {shown} ET")
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "docflow FakeConverter"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _identity_font(writer: PdfWriter, chars: set[str]) -> object:
    n = NameObject
    descriptor = _dict(Type=n("/FontDescriptor"), FontName=n("/LiberationSerif"),
                       Flags=NumberObject(32), ItalicAngle=NumberObject(0),
                       FontBBox=ArrayObject([NumberObject(v) for v in (0, -250, 1000, 900)]),
                       Ascent=NumberObject(900), Descent=NumberObject(-250),
                       CapHeight=NumberObject(700), StemV=NumberObject(80))
    system = _dict(Registry=TextStringObject("Adobe"), Ordering=TextStringObject("Identity"),
                   Supplement=NumberObject(0))
    cid_font = _dict(Type=n("/Font"), Subtype=n("/CIDFontType2"), BaseFont=n("/LiberationSerif"),
                     CIDSystemInfo=system, FontDescriptor=writer._add_object(descriptor),
                     DW=NumberObject(500), CIDToGIDMap=n("/Identity"))
    # pypdf has no public way to add an indirect object; streams must be indirect in a PDF.
    return writer._add_object(_dict(
        Type=n("/Font"), Subtype=n("/Type0"), BaseFont=n("/LiberationSerif"),
        Encoding=n("/Identity-H"), DescendantFonts=ArrayObject([writer._add_object(cid_font)]),
        ToUnicode=_stream(writer, _to_unicode(chars))))


def _dict(**entries: object) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{k}"): v for k, v in entries.items()})


def _stream(writer: PdfWriter, data: str) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data.encode("ascii"))
    return writer._add_object(stream)
