"""WordprocessingML as a reader sees it: the text Word shows, content controls, tables."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
BOX_ON, BOX_OFF = "\u2612", "\u2610"  # ☒ ☐
_BOXES = re.compile("([\u2610\u2611\u2612])")  # ☑ is a ticked box too
MARKER_PREFIX = "docflow:"

# Checkboxes drawn with a symbol font (Insert ▸ Symbol), by font and character code.
_SYMBOL_BOXES = {
    ("wingdings", "f0a8"): BOX_OFF, ("wingdings", "f06f"): BOX_OFF, ("wingdings", "f0fe"): BOX_ON,
    ("wingdings", "f0fd"): BOX_ON, ("wingdings", "f078"): BOX_ON, ("wingdings 2", "f0a3"): BOX_OFF,
    ("wingdings 2", "f052"): BOX_ON, ("wingdings 2", "f054"): BOX_ON,
}


def qn(name: str) -> str:
    """`w:tag` → `{namespace}tag`."""
    prefix, local_name = name.split(":")
    return f"{{{NS[prefix]}}}{local_name}"


def local(el: Any) -> str:
    """The tag without its namespace; '' for comments and processing instructions."""
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def on_off(el: Any, attr: str = "w:val") -> bool:
    """An ST_OnOff property: present without a value means on."""
    return el.get(qn(attr), "1").lower() not in ("0", "false", "off")


@dataclass(frozen=True)
class Control:
    """A content control's properties: its names and what kind of input it is."""

    tag: str = ""
    alias: str = ""
    placeholder: bool = False
    checked: bool | None = None
    full_date: dt.date | None = None


def control(sdt: Any) -> Control:
    """The properties of a `w:sdt`."""
    pr = sdt.find(qn("w:sdtPr"))
    if pr is None:
        return Control()

    def prop(name: str) -> Any:
        return pr.find(qn(name))

    def val(name: str, attr: str = "w:val") -> str:
        return prop(name).get(qn(attr), "") if prop(name) is not None else ""
    checked = None
    if prop("w14:checkbox") is not None:
        state = prop("w14:checkbox").find(qn("w14:checked"))
        checked = state is not None and on_off(state, "w14:val")
    try:
        full_date = dt.date.fromisoformat(val("w:date", "w:fullDate")[:10])
    except ValueError:
        full_date = None
    shows = prop("w:showingPlcHdr")
    return Control(val("w:tag"), val("w:alias"), shows is not None and on_off(shows), checked,
                   full_date)


@dataclass(frozen=True)
class FormField:
    """A legacy form field (Developer ▸ Legacy Tools): its bookmark name, value and start."""

    name: str
    value: str | bool
    begin: Any


class TextWalker:
    """Walk a subtree in reading order and collect what Word shows, as Word shows it.

    Tracked insertions and moves-to are kept, deletions and moves-from dropped; field codes are
    hidden and their results shown; an untouched content control shows nothing (its placeholder is
    an invitation, not an answer); checkboxes of every vintage become ☒ or ☐. Legacy form fields
    met on the way are collected in `fields`.
    """

    _HIDDEN = {"del", "moveFrom", "delText", "instrText", "delInstrText", "rPr", "pPr", "sdtPr",
               "sdtEndPr", "tblPr", "trPr", "tcPr", "tblGrid", "drawing", "pict", "object",
               "Fallback", "footnoteReference", "endnoteReference", "commentReference"}
    _CHARS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}

    def text(self, el: Any) -> str:
        """The visible text under `el`; paragraphs end with a newline."""
        self.out: list[str] = []
        self.fields: list[FormField] = []
        self._stack: list[list[Any]] = []  # per open field: [ffData, showing, start, begin]
        self._walk(el)
        return "".join(self.out)

    def _showing(self) -> bool:
        return all(f[1] for f in self._stack)

    def _emit(self, text: str) -> None:
        if self._showing():
            self.out.append(text)

    def _walk(self, el: Any) -> None:
        for child in el:
            name = local(child)
            if not name or name in self._HIDDEN:
                continue
            if name == "t":
                self._emit(child.text or "")
            elif name in self._CHARS:
                self._emit(self._CHARS[name])
            elif name == "sym":
                font, char = child.get(qn("w:font"), ""), child.get(qn("w:char"), "")
                self._emit(_SYMBOL_BOXES.get((font.lower(), char.lower()), ""))
            elif name == "sdt":
                self._control(child)
            elif name == "fldChar":
                self._field_char(child)
            elif name == "AlternateContent":  # the same content twice: read the first choice
                self._walk(next(iter(child.iterchildren(qn("mc:Choice"))), []))
            else:  # a container: walked even while a field code hides text, to meet its end
                self._walk(child)
                if name in ("p", "tc"):
                    self._emit("\n")

    def _control(self, sdt: Any) -> None:
        props = control(sdt)
        if props.placeholder:
            return
        if props.checked is not None:
            self._emit(BOX_ON if props.checked else BOX_OFF)
            return
        content = sdt.find(qn("w:sdtContent"))
        self._walk(content if content is not None else [])

    def _field_char(self, el: Any) -> None:
        kind = el.get(qn("w:fldCharType"))
        if kind == "begin":
            ff = el.find(qn("w:ffData"))
            value = _choice_value(ff) if ff is not None else None
            if value is not None and self._showing():
                self.out.append(value if isinstance(value, str) else BOX_ON if value else BOX_OFF)
                self._record(ff, value, el)
            self._stack.append([ff, False, len(self.out), el])
        elif kind == "separate" and self._stack:
            ff = self._stack[-1][0]
            # What follows is the result: shown for text fields and other fields (PAGE, MERGEFIELD),
            # not for a checkbox or drop-down, whose state was shown at its start.
            self._stack[-1][1:3] = [ff is None or _choice_value(ff) is None, len(self.out)]
        elif kind == "end" and self._stack:
            ff, showing, start, begin = self._stack.pop()
            if ff is not None and _choice_value(ff) is None and self._showing():
                self._record(ff, "".join(self.out[start:]) if showing else "", begin)

    def _record(self, ff: Any, value: str | bool, begin: Any) -> None:
        name = ff.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")):
            self.fields.append(FormField(name.get(qn("w:val")), value, begin))


def _choice_value(ff: Any) -> str | bool | None:
    """A legacy checkbox's state or drop-down's shown entry; None for a text field."""
    box = ff.find(qn("w:checkBox"))
    if box is not None:
        state = next((p for p in (box.find(qn("w:checked")), box.find(qn("w:default")))
                      if p is not None), None)
        return state is not None and on_off(state)
    drop = ff.find(qn("w:ddList"))
    if drop is not None:
        entries = [e.get(qn("w:val"), "") for e in drop.findall(qn("w:listEntry"))]
        chosen = drop.find(qn("w:result"))
        chosen = chosen if chosen is not None else drop.find(qn("w:default"))
        index = _number(chosen, 0)
        return entries[index] if 0 <= index < len(entries) else ""
    return None


def visible_text(el: Any) -> str:
    """What Word shows under `el` (see TextWalker)."""
    return TextWalker().text(el)


def box_value(text: str) -> str | bool | None:
    """Text with checkboxes read as the answer they give; text without any stays as it is."""
    # A lone box is yes/no; boxes with labels give the ticked labels, the label written after its
    # box ("☒ Nam ☐ Nữ" → "Nam") or, when the text ends with a box, before it ("Nam ☒ Nữ ☐").
    parts = _BOXES.split(text)
    if len(parts) == 1:
        return text
    before, boxes, after = parts[0].strip(), parts[1::2], [p.strip() for p in parts[2::2]]
    if len(boxes) == 1 and not before and not after[0]:
        return boxes[0] != BOX_OFF
    labels = [before, *after[:-1]] if before and not after[-1] else after
    ticked = [label for box, label in zip(boxes, labels) if box != BOX_OFF and label]
    return "; ".join(ticked) or None


@dataclass(frozen=True)
class Spot:
    """Where a value is, told so a clerk can find it in Word: `Bảng 2, dòng 3, cột 4`."""

    table: int
    row: int
    where: str


@dataclass(frozen=True)
class Cell:
    """A table cell: its visible text, grid column (for merged cells) and place."""

    text: str
    grid: int
    spot: Spot


@dataclass(frozen=True)
class Table:
    """A table (numbered in reading order, nested ones too) as rows of cells."""

    number: int
    rows: list[list[Cell]]


class Layout:
    """A document body reduced to what forms are made of: tables, paragraphs, controls, fields."""

    def __init__(self, body: Any) -> None:
        self._spots: dict[Any, Spot] = {}
        self.tables = [self._table(n, t) for n, t in enumerate(
            (t for t in body.iter(qn("w:tbl")) if _live(t)), start=1)]
        self.paragraphs = [visible_text(p) for p in body.iter(qn("w:p"))
                           if _live(p) and next(p.iterancestors(qn("w:tbl")), None) is None]
        self.controls = [(s, control(s)) for s in body.iter(qn("w:sdt")) if _live(s)]
        walker = TextWalker()
        walker.text(body)
        self.legacy_fields = walker.fields

    def _table(self, number: int, tbl: Any) -> Table:
        rows = []
        for row_no, tr in enumerate((r for r in _unwrap(tbl, "tr") if not _deleted(r)), start=1):
            grid = _number(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
            cells = []
            for col_no, tc in enumerate((c for c in _unwrap(tr, "tc")
                                         if c.find(f"{qn('w:tcPr')}/{qn('w:cellDel')}") is None),
                                        start=1):
                spot = Spot(number, row_no, f"Bảng {number}, dòng {row_no}, cột {col_no}")
                self._spots[tc] = spot
                cells.append(Cell(visible_text(tc), grid, spot))
                grid += _number(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), 1)
            rows.append(cells)
        return Table(number, rows)

    def spot(self, el: Any, name: str) -> Spot:
        """The place of `el`: its table cell, else the content control or field's name."""
        cells = (self._spots[a] for a in el.iterancestors(qn("w:tc")) if a in self._spots)
        return next(cells, None) or Spot(0, 0, f"ô “{name}”")


def _number(el: Any, default: int) -> int:
    """An element's integer `w:val`, or `default` when it is absent or not a number."""
    value = el.get(qn("w:val"), "") if el is not None else ""
    return int(value) if value.isdigit() else default


def _live(el: Any) -> bool:
    """False inside deleted, moved-away, duplicate-fallback or deleted-row content."""
    return not any(local(a) in ("del", "moveFrom", "Fallback") or (local(a) == "tr" and _deleted(a))
                   for a in el.iterancestors())


def _deleted(tr: Any) -> bool:
    pr = tr.find(qn("w:trPr"))
    return pr is not None and pr.find(qn("w:del")) is not None


def _unwrap(parent: Any, name: str) -> list[Any]:
    """Children called `name`, looking through content controls and custom XML around them."""
    out: list[Any] = []
    for child in parent:
        kind = local(child)
        if kind == name:
            out.append(child)
        elif kind in ("sdt", "customXml"):
            inner = child.find(qn("w:sdtContent")) if kind == "sdt" else child
            out += _unwrap(inner, name) if inner is not None else []
    return out
