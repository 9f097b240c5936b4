"""Read a .docx into what the Nghị định 30 checks look at: pages, and paragraphs with the
formatting a reader actually sees (direct formatting resolved through styles and defaults)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from docflow.errors import DocflowError
from docflow.text import nfc, upper_vi

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TWIPS_PER_MM = 1440 / 25.4
_OFF = ("0", "false", "off")
_PAGE_FIELD = re.compile(r"(?:^|\s)PAGE(?:\s|$)")
_RUN_WRAPPERS = {f"{W}{tag}" for tag in ("hyperlink", "ins", "smartTag", "sdt", "fldSimple")}
_TEXT_TAGS = (f"{W}t", f"{W}tab", f"{W}br")


@dataclass(frozen=True)
class Run:
    """A stretch of text and its effective look; a font is "theme:<slot>" when set by the theme."""

    text: str
    fonts: tuple[str, ...]
    size: float
    bold: bool
    italic: bool
    caps: bool
    color: str


@dataclass(frozen=True, eq=False)
class Para:
    """One paragraph as a reader sees it, with where it sits (section, table cell and row).

    Compared by identity: two paragraphs with the same text are still two places in the text.
    """

    text: str
    runs: tuple[Run, ...]
    align: str
    section: int = 0
    cell: int = 0  # 0 outside tables; otherwise an id shared by the paragraphs of one cell
    row: int = 0
    page_field: bool = False

    @property
    def visible(self) -> tuple[Run, ...]:
        """Runs that show something: blank runs carry no look a reader could notice."""
        return tuple(r for r in self.runs if r.text.strip())

    @property
    def bold(self) -> bool:
        """True when every visible run is bold."""
        return all(r.bold for r in self.visible)

    @property
    def italic(self) -> bool:
        """True when every visible run is italic."""
        return all(r.italic for r in self.visible)

    @property
    def upright(self) -> bool:
        """True when no visible run is italic."""
        return not any(r.italic for r in self.visible)

    @property
    def upper(self) -> bool:
        """True when every visible run shows upper case, by its letters or by All Caps."""
        return all(r.caps or r.text == upper_vi(r.text) for r in self.visible)

    @property
    def sizes(self) -> tuple[float, ...]:
        """The distinct font sizes of the visible runs, smallest first."""
        return tuple(sorted({r.size for r in self.visible}))


@dataclass(frozen=True)
class Page:
    """The page set-up of one section, in millimetres."""

    index: int
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    number_format: str


@dataclass(frozen=True)
class Layout:
    """A whole document: page set-ups, body paragraphs in reading order, page-number places."""

    pages: tuple[Page, ...]
    body: tuple[Para, ...]
    first_page: tuple[Para, ...]  # header and footer paragraphs shown on the first page
    headers: tuple[Para, ...]  # paragraphs of the default headers of every section
    footers: tuple[Para, ...]


def read_layout(path: Path) -> Layout:
    """The layout of the .docx at path; DocflowError when it is not a readable Word file."""
    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise DocflowError(f"Không mở được {path} như một văn bản Word (.docx): {exc}. Hãy mở "
                           "tệp bằng Word, lưu lại dưới dạng .docx rồi kiểm tra lại.") from exc
    styles = _Styles(doc.styles.element)
    body, pages, section = [], [], 0
    ids: dict[Any, int] = {}
    for p in _paragraphs(doc.element.body):
        body.append(_para(p, styles, section, ids))
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1
    for index, sect in enumerate(doc.sections):
        pages.append(_page(index, sect._sectPr))

    read: dict[Any, tuple[Para, ...]] = {}

    def paras(parts: list[Any]) -> tuple[Para, ...]:
        """Paragraphs of headers or footers; a part shared by sections is read once, so the
        same paragraph is the same Para wherever it shows."""
        out: dict[Any, tuple[Para, ...]] = {}
        for part in parts:
            element = part._element
            if element not in read:
                read[element] = tuple(_para(p, styles, 0, ids) for p in _paragraphs(element))
            out[element] = read[element]
        return tuple(para for group in out.values() for para in group)

    first = doc.sections[0]
    # A header "linked to previous" is read from the section that defines it, as Word shows it.
    shown_first = ([first.first_page_header, first.first_page_footer]
                   if first.different_first_page_header_footer else [first.header, first.footer])
    return Layout(tuple(pages), tuple(body), paras(shown_first),
                  paras([s.header for s in doc.sections]), paras([s.footer for s in doc.sections]))


def _paragraphs(root: Any) -> list[Any]:
    """Paragraphs in reading order; the fallback copies of drawings (mc:Fallback) are duplicates."""
    return [p for p in root.iter(f"{W}p")
            if not any(a.tag == _FALLBACK for a in p.iterancestors())]


def _page(index: int, sect: Any) -> Page:
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    numbers = sect.find(f"{W}pgNumType")

    def mm(el: Any, name: str) -> float:
        value = el.get(f"{W}{name}") if el is not None else None
        return abs(int(value)) / _TWIPS_PER_MM if value else 0.0

    return Page(index, mm(size, "w"), mm(size, "h"), mm(margins, "top"), mm(margins, "bottom"),
                mm(margins, "left"), mm(margins, "right"),
                numbers.get(f"{W}fmt", "") if numbers is not None else "")


class _Styles:
    """Style lookups (a style's basedOn chain, the document defaults) and the resolved look of
    runs, cached: a long table repeats the same few looks thousands of times."""

    def __init__(self, root: Any) -> None:
        self._by_id = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
        self.default_para = next((s.get(f"{W}styleId") for s in root.iter(f"{W}style")
                                  if s.get(f"{W}type") == "paragraph"
                                  and s.get(f"{W}default") in ("1", "true", "on")), None)
        self.rpr_default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.ppr_default = root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
        self._chains: dict[tuple[str | None, str], list[Any]] = {}
        self._looks: dict[tuple[bytes, str | None, str | None], tuple] = {}
        self._tables: dict[Any, str | None] = {}
        self._aligns: dict[tuple[str | None, str | None], str] = {}

    def chain(self, style_id: str | None, part: str) -> list[Any]:
        """The `part` (w:rPr or w:pPr) of the style and of every style it is based on."""
        key = (style_id, part)
        if key not in self._chains:
            out, seen = [], set()
            while style_id and style_id not in seen and style_id in self._by_id:
                seen.add(style_id)
                style = self._by_id[style_id]
                out.append(style.find(f"{W}{part}"))
                based = style.find(f"{W}basedOn")
                style_id = based.get(f"{W}val") if based is not None else None
            self._chains[key] = out
        return self._chains[key]

    def table_style(self, tbl: Any) -> str | None:
        """The style id of a table; cached, as lxml finds a child slowly in a table of many rows."""
        if tbl not in self._tables:
            self._tables[tbl] = _val(tbl.find(f"{W}tblPr"), f"{W}tblStyle")
        return self._tables[tbl]

    def align(self, pstyle: str | None, tstyle: str | None) -> str:
        """The alignment paragraphs of a style get when they set none themselves."""
        key = (pstyle, tstyle)
        if key not in self._aligns:
            pprs = [*self.chain(pstyle, "pPr"), *self.chain(tstyle, "pPr"), self.ppr_default]
            self._aligns[key] = next((v for v in (_val(x, f"{W}jc") for x in pprs) if v), "left")
        return self._aligns[key]

    def look(self, rpr: Any, pstyle: str | None, tstyle: str | None) -> tuple:
        """(ascii font, hAnsi font, size, bold, italic, caps, colour) of a run: run, character
        style, paragraph style, table style, document defaults; the first level that says wins."""
        key = (etree.tostring(rpr) if rpr is not None else b"", pstyle, tstyle)
        if key not in self._looks:
            sources = [x for x in [rpr, *self.chain(_val(rpr, f"{W}rStyle"), "rPr"),
                                   *self.chain(pstyle, "rPr"), *self.chain(tstyle, "rPr"),
                                   self.rpr_default] if x is not None]
            size = _first(sources, "sz")
            self._looks[key] = (_font(sources, "ascii"), _font(sources, "hAnsi"),
                                int(size) / 2 if size else 10.0, _toggle(sources, "b"),
                                _toggle(sources, "i"), _toggle(sources, "caps"),
                                (_first(sources, "color") or "auto").upper())
        return self._looks[key]


def _val(el: Any, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    return found.get(f"{W}val") if found is not None else None


def _own_runs(p: Any) -> list[Any]:
    """Runs of this paragraph only: a run inside a text box belongs to the text box's paragraph."""
    runs = []
    for child in p:
        if child.tag == f"{W}r":
            runs.append(child)
        elif child.tag in _RUN_WRAPPERS:
            runs += child.iter(f"{W}r")
    return runs


def _para(p: Any, styles: _Styles, section: int, ids: dict[Any, int]) -> Para:
    """One paragraph with each run's look resolved through styles and defaults."""
    ppr = p.find(f"{W}pPr")
    pstyle = _val(ppr, f"{W}pStyle") or styles.default_para
    cell = row = tstyle = None
    for ancestor in p.iterancestors(f"{W}tc", f"{W}tr", f"{W}tbl"):
        if ancestor.tag == f"{W}tc" and cell is None:
            cell = ancestor
        elif ancestor.tag == f"{W}tr" and row is None:
            row = ancestor
        elif ancestor.tag == f"{W}tbl":
            tstyle = styles.table_style(ancestor)
            break
    align = _val(ppr, f"{W}jc") or styles.align(pstyle, tstyle)
    runs = []
    for r in _own_runs(p):
        text = nfc("".join("\t" if c.tag == f"{W}tab" else "\n" if c.tag == f"{W}br"
                           else c.text or "" for c in r if c.tag in _TEXT_TAGS))
        ascii_font, hansi_font, *look = styles.look(r.find(f"{W}rPr"), pstyle, tstyle)
        fonts = (ascii_font,) if text.isascii() else (ascii_font, hansi_font)
        runs.append(Run(text, fonts, *look))
    instr = " ".join(f.get(f"{W}instr", "") if f.tag == f"{W}fldSimple" else f.text or ""
                     for f in p.iter(f"{W}instrText", f"{W}fldSimple"))
    return Para("".join(r.text for r in runs), tuple(runs), align, section,
                _id(cell, ids), _id(row, ids), bool(_PAGE_FIELD.search(instr)))


def _id(el: Any, ids: dict[Any, int]) -> int:
    return 0 if el is None else ids.setdefault(el, len(ids) + 1)


def _first(sources: list[Any], tag: str) -> str | None:
    return next((v for v in (_val(x, f"{W}{tag}") for x in sources) if v is not None), None)


def _toggle(sources: list[Any], tag: str) -> bool:
    for rpr in sources:
        el = rpr.find(f"{W}{tag}")
        if el is not None:
            return el.get(f"{W}val", "true").lower() not in _OFF
    return False


def _font(sources: list[Any], slot: str) -> str:
    """The font of one rFonts slot; a theme font wins over a named one at the same level."""
    for rpr in sources:
        fonts = rpr.find(f"{W}rFonts")
        if fonts is None:
            continue
        theme = fonts.get(f"{W}{slot}Theme")
        if theme:
            return f"theme:{theme}"
        if fonts.get(f"{W}{slot}"):
            return fonts.get(f"{W}{slot}")
    return ""
