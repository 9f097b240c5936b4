"""Mark a sample render so nobody mistakes it for a real draft: a line on top of every page."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

MARK = "BẢN XEM TRƯỚC – DỮ LIỆU MẪU"


def mark_preview(data: bytes, text: str = MARK) -> bytes:
    """The document with `text` in red at the top of every page header of every section.

    Each section's three headers (first page, odd/default, even) get the line, so a template
    whose first page has its own header (Nghị định 30: no page number there) is marked too.
    """
    doc = Document(io.BytesIO(data))
    even = doc.settings.odd_and_even_pages_header_footer
    for section in doc.sections:
        headers = [section.header]  # the header every page uses unless told otherwise
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if even:
            headers.append(section.even_page_header)
        for header in headers:
            _prepend(header, text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _prepend(header, text: str) -> None:  # noqa: ANN001 - python-docx _Header
    header.is_linked_to_previous = False
    paragraphs = header.paragraphs
    para = paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(12)
    run.font.name = "Times New Roman"
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
