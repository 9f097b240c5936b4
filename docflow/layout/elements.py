"""Find the elements of an administrative document by their text, wherever they sit (body,
header table, signature table), so any Nghị định 30 document can be checked, not only ours."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docflow.layout.reader import Layout, Para
from docflow.text import clean, fold, upper_vi

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Type name → the code in the Số line (Nghị định 30, Phụ lục III; PTN/PBL are docflow's own).
TYPES = {"KẾ HOẠCH": "KH", "QUYẾT ĐỊNH": "QĐ", "BÁO CÁO": "BC", "TỜ TRÌNH": "TTr",
         "HƯỚNG DẪN": "HD", "THÔNG BÁO": "TB", "CHƯƠNG TRÌNH": "CTr", "BIÊN BẢN": "BB",
         "QUY ĐỊNH": "QyĐ", "PHIẾU TIẾP NHẬN": "PTN", "PHIẾU BÁO LỖI": "PBL"}
DASHES = re.compile(r"\s*[-–—]\s*")
_DATE_LINE = re.compile(r"^[^,\d]{2,60},\s*ngày\b.*\btháng\b.*\bnăm\b", re.I)
_DECORATION = re.compile(r"^[\s_\-–—.*]*$")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*\.")
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")
_LUU = re.compile(r"^[-–+]?\s*Lưu\b", re.I)
_NATIONAL_KEY = fold(NATIONAL)
_SHORT = 120  # characters: longer than any header line, date line or type name, even padded


@dataclass(frozen=True)
class Anatomy:
    """Where each element of the document was found; None or empty when it was not."""

    national: Para | None
    motto: Para | None
    issuer: tuple[Para, ...]
    number: Para | None
    date: Para | None
    title: Para | None
    summary: Para | None
    signature: tuple[Para, ...]  # the signer's authority and title lines
    signer: Para | None  # the signer's name
    recipients_label: Para | None
    recipients: tuple[Para, ...]  # the Nơi nhận entries, up to and including the Lưu line
    kinh_gui: bool
    last_article: int  # the highest "Điều n." of the main text, 0 when there is none

    @property
    def type_name(self) -> str:
        """The upper-case type name (`QUYẾT ĐỊNH`), or "" for a công văn."""
        return upper_vi(clean(self.title.text)) if self.title else ""

    @property
    def award_decision(self) -> bool:
        """A decision whose summary is about an award (Bằng khen, Giấy khen, khen thưởng)."""
        summary = fold(self.summary.text) if self.summary else ""
        return self.type_name == "QUYẾT ĐỊNH" and "khen" in summary


def _first(paras: list[Para] | tuple[Para, ...], test) -> Para | None:
    return next((p for p in paras if test(p)), None)


def starts(text: str, *prefixes: str) -> bool:
    """True when text starts with one of the prefixes, ignoring case, spacing and tone placement."""
    folded = _folded(prefixes)
    # Only the opening words matter; folding a whole long paragraph is the slow part.
    head = text.lstrip()[:2 * max(map(len, folded)) + 8]
    return fold(head).startswith(folded)


@functools.cache
def _folded(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(p) for p in prefixes)


def is_luu(text: str) -> bool:
    """True for the archive line that closes Nơi nhận (`- Lưu: VT, NC.`)."""
    return _LUU.match(clean(text)) is not None


def is_motto(text: str) -> bool:
    """True when text reads `Độc lập - Tự do - Hạnh phúc`, whatever its case or dashes."""
    return DASHES.sub(" - ", fold(text)) == fold(MOTTO)


def anatomy(layout: Layout) -> Anatomy:
    """Locate every element of the document."""
    body = list(layout.body)
    short = [p for p in body if len(p.text) <= _SHORT]  # header lines and titles are short
    national = _first(short, lambda p: fold(p.text) == _NATIONAL_KEY)
    motto = _first(short, lambda p: is_motto(p.text))
    number = _first(short, lambda p: re.match(r"số\s*:", fold(p.text[:12])) is not None)
    date = _first(short, lambda p: _DATE_LINE.match(clean(p.text)) is not None)
    header = [p for p in (national, motto, number, date) if p is not None]
    start = max((body.index(p) for p in header), default=-1) + 1
    title = _first([p for p in body[start:] if len(p.text) <= _SHORT],
                   lambda p: upper_vi(clean(p.text)) in TYPES)
    end = body.index(number) if number else body.index(title) if title else start
    issuer = tuple(p for p in body[:end] if p not in header and not _DECORATION.match(p.text))
    summary = None
    if title:
        after = body[body.index(title) + 1:]
        summary = _first(after, lambda p: bool(p.text.strip()))
        if summary and starts(summary.text, "kính gửi", "căn cứ"):
            summary = None
    label = _first(body, lambda p: starts(p.text, "nơi nhận"))
    signature, signer = _signature(body, label)
    articles = [int(m.group(1)) for p in body if p.section == 0
                for m in [_ARTICLE.match(clean(p.text))] if m]
    kinh_gui = any(starts(p.text, "kính gửi") for p in body if p.section == 0)
    return Anatomy(national, motto, issuer, number, date, title, summary, signature, signer,
                   label, _recipients(body, label), kinh_gui, max(articles, default=0))


def _recipients(body: list[Para], label: Para | None) -> tuple[Para, ...]:
    """The entries under Nơi nhận: the rest of its table cell, or the paragraphs up to a blank
    line; lines after the Lưu line (the drafter's initials) are not entries."""
    if label is None:
        return ()
    entries = []
    for para in body[body.index(label) + 1:]:
        if para.cell != label.cell:
            break
        if not para.text.strip():
            if label.cell:
                continue
            break
        entries.append(para)
        if is_luu(para.text):
            break
    return tuple(entries)


def _signature(body: list[Para], label: Para | None) -> tuple[tuple[Para, ...], Para | None]:
    """The signer's title lines and name: the cells beside Nơi nhận in its table row, or else
    the block that starts with an authority line (TM., KT., TL., TUQ., Q.)."""
    if label is not None and label.row:
        block = [p for p in body if p.row == label.row and p.cell != label.cell]
    else:
        anchor = _first(body, lambda p: _AUTHORITY.match(clean(p.text)) is not None)
        if anchor is None:
            return (), None
        block = [p for p in body[body.index(anchor):] if p.cell == anchor.cell]
    while block and not block[0].text.strip():  # cells often open with an empty paragraph
        block = block[1:]
    titles: list[Para] = []
    for para in block:
        if not para.text.strip():
            break
        titles.append(para)
    rest = [p for p in block[len(titles):]
            if p.text.strip() and not starts(p.text, "nơi nhận")]
    if rest:  # in a cell the name is the last line; in running text, the first after the gap
        return tuple(titles), rest[-1] if block[0].cell else rest[0]
    if len(titles) > 1 and not titles[-1].upper:  # no blank lines left for the signature itself
        return tuple(titles[:-1]), titles[-1]
    return tuple(titles), None
