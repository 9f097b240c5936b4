"""Read produced Word documents the way a reader does: paragraphs and tables in order."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def blocks(path: Path | object) -> list[tuple[str, object]]:
    """Body content in order: ("p", text) or ("table", [[cell text, …], …])."""
    doc = Document(str(path)) if isinstance(path, (str, Path)) else path
    out: list[tuple[str, object]] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(("p", Paragraph(child, doc).text))
        elif tag == "tbl":
            table = Table(child, doc)
            out.append(("table", [[c.text for c in row.cells] for row in table.rows]))
    return out


def full_text(path: Path) -> str:
    """Every paragraph and table cell, one per line."""
    lines = []
    for kind, value in blocks(path):
        if kind == "p":
            lines.append(value)
        else:
            for row in value:
                lines.extend(row)
    return "\n".join(lines)


def table_after(path: Path, heading: str) -> list[list[str]]:
    """The first table following the paragraph whose text is `heading`."""
    seen = False
    for kind, value in blocks(path):
        if kind == "p" and value.strip() == heading:
            seen = True
        elif kind == "table" and seen:
            return value
    raise AssertionError(f"no table after {heading!r} in {path.name}")


def paragraphs_after(path: Path, start: str) -> list[str]:
    """Paragraph texts (tables flattened) from the one starting with `start`."""
    text = full_text(path).splitlines()
    index = next(i for i, line in enumerate(text) if line.strip().startswith(start))
    return text[index:]


def section(path: Path | object, heading: str) -> list[list[str]]:
    """From the paragraph `heading` to the next section heading or the grand total: paragraphs
    as [text], table rows as their cells, in order (appendix lists are one table per unit)."""
    out: list[list[str]] = []
    inside = False
    for kind, value in blocks(path):
        if kind == "p":
            text = value.strip()
            if inside and (text.startswith(("II. ", "III. ", "Tổng cộng:")) or text == "DANH SÁCH"):
                break
            if text == heading:
                inside = True
            elif inside and text:
                out.append([text])
        elif inside:
            out.extend(value)
    return out


def list_entries(path: Path | object, heading: str) -> list[list[str]]:
    """A section's unit labels and item rows, without the repeated heading rows."""
    rows = section(path, heading)
    return [r for r in rows if r[0] != "STT"]
