"""The PDF of a long list from parts: each part converted once per content, on every free
LibreOffice at once, the pages joined with pypdf and numbered as LibreOffice numbers them.

split.py cuts the document; batch.py converts each package (from the cache folder when the same
package was converted before, once when two documents of a making share it), and here the PDFs
are joined in order. The annex parts have no page header and blank footers; the page
numbers come from one conversion of as many blank pages laid out as the annex with its headers
(the same from one making to the next: cached too), the Mã dự thảo from two blank pages with its
footers, and both are drawn over the annex pages as form XObjects: the numbers are LibreOffice's
own text at LibreOffice's own place, counted across the whole annex, and a part's PDF depends on
its rows alone. One more unit at the end of a list converts its last part and the small front
again, and reuses the other parts.
"""

from __future__ import annotations

import io
import shutil
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject)

from docflow.convert.batch import SHORT, URGENT, Conversions
from docflow.convert.pool import Converter
from docflow.errors import ConversionError
from docflow.convert.split import PART_ROWS, Cut, blank, cut

KEEP_FILES = 400  # cached part PDFs kept at least: the newest, by last use
NUMBER_PAGES = 50  # blank pages for page numbers come in blocks, so one more page is free
ESTIMATE_MARGIN = 1.1  # the annex's pages guessed from its first part's, and a tenth more


def stitched_pdf(converter: Converter, docx: bytes, name: str, cache: Path, *, title: str = "",
                 author: str = "", rows: int = PART_ROWS) -> tuple[bytes, bytes] | None:
    """(the .docx to deliver, its PDF) made from parts, or None when the document is not cut
    (convert it whole)."""
    with Conversions(converter, cache) as conversions:
        pending = start_stitched(conversions, docx, name, title=title, author=author, rows=rows)
        return None if pending is None else pending.result()


def start_stitched(conversions: Conversions, docx: bytes, name: str, *, title: str = "",
                   author: str = "", rows: int = PART_ROWS) -> Stitched | None:
    """Cut the document and ask for the PDFs of its parts at once; None when it is not cut."""
    parts = cut(docx, rows)
    return None if parts is None else Stitched(conversions, parts, name, title, author)


class Stitched:
    """A long list whose parts are being converted; result() joins them.

    The page numbers are asked for as soon as the first part is converted, from the pages it
    took for its share of the annex (with a margin), so that they are converted beside the
    other parts rather than after them; should the list need more pages, they are converted
    again for the exact count at the end."""

    def __init__(self, conversions: Conversions, parts: Cut, name: str, title: str,
                 author: str) -> None:
        self.conversions, self.name, self.title, self.author = conversions, name, title, author
        self.numbers: tuple[int, Future] | None = None
        self._asked = threading.Event()
        self._sizes = [len(part["word/document.xml"]) for part in parts.parts]
        # The parts' packages are dropped once asked for: each goes when it is converted.
        self.parts = replace(parts, parts=())
        first = conversions.pdf(parts.parts[0], name)
        # Before any other part is queued: the numbers then go right after the first part.
        first.add_done_callback(self._ask_numbers)
        self.annex = [first] + [conversions.pdf(part, name) for part in parts.parts[1:]]
        self.front = conversions.pdf(parts.front, name, SHORT)  # after every document's parts
        self.footers = conversions.pdf(blank(parts, 2, "footers"), name, SHORT)

    def result(self) -> tuple[bytes, bytes]:
        """(the .docx to deliver, its PDF), once every part is converted."""
        pdfs = [self.front.result()] + [part.result() for part in self.annex]
        annex_pages = sum(_pages(p) for p in pdfs[1:])
        self._asked.wait()  # the first part's callback may still be running on a worker
        numbers = self.numbers
        if numbers is None or numbers[0] < annex_pages:
            numbers = self._numbers_for(annex_pages)
        data = _join(pdfs, numbers[1].result(), self.footers.result(), self.title, self.author)
        _prune(self.conversions.cache)
        return self.parts.docx, data

    def _ask_numbers(self, first: Future) -> None:
        try:
            if first.cancelled() or first.exception() is not None:
                return  # result() raises it
            sizes = self._sizes
            estimate = _pages(first.result()) * sum(sizes) / sizes[0] * ESTIMATE_MARGIN
            self.numbers = self._numbers_for(int(estimate) + 1)
        finally:
            self._asked.set()

    def _numbers_for(self, pages: int) -> tuple[int, Future]:
        # A join waits on it alone: it goes before the jobs of documents asked for later.
        block = -(-pages // NUMBER_PAGES) * NUMBER_PAGES
        return block, self.conversions.pdf(blank(self.parts, block, "headers"), self.name, URGENT)


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _join(pdfs: list[bytes], numbers: bytes, footers: bytes, title: str, author: str) -> bytes:
    """The parts' pages in order, each annex page with its header and footer drawn over it."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    front = len(PdfReader(io.BytesIO(pdfs[0])).pages)
    heads, feet = PdfReader(io.BytesIO(numbers)).pages, PdfReader(io.BytesIO(footers)).pages
    if len(heads) < len(writer.pages) - front or len(feet) < 2:
        raise ConversionError(f"LibreOffice lập được {len(heads)} trang đánh số cho phụ lục "
                              f"{len(writer.pages) - front} trang; hãy thử lại, nếu còn lỗi thì "
                              "mở văn bản bằng LibreOffice để kiểm tra.")
    push, pop = _stream(writer, b"q\n"), _stream(writer, b"\nQ\n")
    first_foot, foot = _form(writer, feet[0]), _form(writer, feet[1])
    for index, page in enumerate(writer.pages[front:]):
        drawn = {f"/DfHead{index}": _form(writer, heads[index]),
                 "/DfFootFirst" if index == 0 else "/DfFoot": first_foot if index == 0 else foot}
        resources = page["/Resources"].get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        for name, form in drawn.items():
            xobjects.get_object()[NameObject(name)] = form
        contents = page.get("/Contents")
        old = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
            else [contents]
        draw = "".join(f"q {name} Do Q\n" for name in drawn).encode("ascii")
        page[NameObject("/Contents")] = ArrayObject([push, *old, pop, _stream(writer, draw)])
    writer.add_metadata({"/Title": title, "/Author": author, "/Producer": "docflow"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(writer: PdfWriter, page) -> object:
    """A page of the numbers' PDF as a form XObject in the writer."""
    form = DecodedStreamObject()
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else ArrayObject()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    form.update({NameObject("/Type"): NameObject("/XObject"),
                 NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): page.mediabox,
                 NameObject("/Resources"): page["/Resources"]})
    return writer._add_object(form.clone(writer))


def _stream(writer: PdfWriter, data: bytes) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _prune(cache: Path) -> None:
    """Keep the part PDFs used last; those beyond KEEP_FILES and a day old go (another process
    may be reading a newer one), as do scratch folders a crash left behind."""
    old = time.time() - 86400
    files = sorted(cache.glob("*.pdf"), key=_mtime, reverse=True)
    for path in files[KEEP_FILES:]:
        if _mtime(path) < old:
            path.unlink(missing_ok=True)
    for folder in cache.glob("parts-*"):
        if _mtime(folder) < old:
            shutil.rmtree(folder, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
