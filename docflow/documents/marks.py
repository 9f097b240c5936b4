"""The Mã dự thảo docflow writes into every province-wide draft it makes: in the docx core
properties (identifier) and as a small footer line, so a signed copy (docx or its PDF) that
comes back is matched to the exact making it was printed from."""

from __future__ import annotations

import io
import re

from docx import Document as open_docx
from docx.shared import Pt

LABEL = "Mã dự thảo"
PATTERN = re.compile(r"Mã\s*dự\s*thảo\s*:\s*([A-Za-z]+(?:-[A-Za-z0-9]+)+)", re.IGNORECASE)


def footer_line(mark: str) -> str:
    """The footer text that carries a mark: `Mã dự thảo: DN-BKUBND-7`."""
    return f"{LABEL}: {mark}"


def stamp(data: bytes, mark: str) -> bytes:
    """The docx with its mark in the core properties and in every footer of every section."""
    doc = open_docx(io.BytesIO(data))
    doc.core_properties.identifier = mark
    doc.core_properties.keywords = footer_line(mark)
    for section in doc.sections:
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            p = footer.add_paragraph()
            run = p.add_run(footer_line(mark))
            run.font.size = Pt(8)
            run.font.name = "Times New Roman"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def find_mark(text: str) -> str:
    """The mark named in a text (a footer, a PDF page), or ""."""
    match = PATTERN.search(text)
    return match.group(1).upper() if match else ""
