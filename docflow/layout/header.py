"""Nghị định 30 rules for the top of a document: Quốc hiệu, Tiêu ngữ, issuing body, Số, date
line, type name and trích yếu."""

from __future__ import annotations

import datetime as dt
import re

from docflow.layout.elements import DASHES, MOTTO, NATIONAL, TYPES, Anatomy
from docflow.layout.rules import LayoutProblem, Look, excerpt, look_problems, missing
from docflow.text import clean, fold

LOOKS = {
    "Quốc hiệu": Look(size=(12, 13), bold=True, upper=True),
    "Tiêu ngữ": Look(size=(13, 14), bold=True),
    "Cơ quan ban hành": Look(size=(12, 13), upper=True),
    "Số, ký hiệu": Look(size=(13, 13), italic=False),
    "Địa danh, ngày tháng": Look(size=(13, 14), italic=True),
    "Tên loại văn bản": Look(size=(13, 14), bold=True, upper=True, centred=True),
    "Trích yếu": Look(size=(13, 14), bold=True),
}
_NUMBER = re.compile(r"^Số\s*:\s*(?P<n>\d*)\s*/\s*(?:\d{4}\s*/\s*)?(?P<symbol>\S.*)$", re.I)
# The Party style of Party bodies and the Youth Union: `Số: 56-BC/TĐTN`, type code before the `/`.
_PARTY_NUMBER = re.compile(r"^Số\s*:\s*(?P<n>\d*)\s*-\s*(?P<symbol>[^/\s]+)\s*/\s*\S.*$", re.I)
_DATE = re.compile(r"^ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s+(?P<y>\d{4})$")


def header_problems(doc: Anatomy) -> list[LayoutProblem]:
    """Problems of the header block, the title and the trích yếu."""
    problems = _national(doc) + _issuer(doc) + _number(doc) + _date(doc)
    if doc.title is not None:
        problems += look_problems("Tên loại văn bản", doc.title, LOOKS["Tên loại văn bản"])
    elif not _is_cong_van(doc):
        problems.append(missing("Tên loại văn bản", "tên loại văn bản (ví dụ “QUYẾT ĐỊNH”, “KẾ "
                                                    "HOẠCH”) dưới phần đầu văn bản"))
    if doc.summary is not None:
        problems += look_problems("Trích yếu", doc.summary, LOOKS["Trích yếu"])
    return problems


def _national(doc: Anatomy) -> list[LayoutProblem]:
    problems = []
    if doc.national is None:
        problems.append(missing("Quốc hiệu", f"Quốc hiệu “{NATIONAL}”"))
    else:
        problems += look_problems("Quốc hiệu", doc.national, LOOKS["Quốc hiệu"])
    if doc.motto is None:
        problems.append(missing("Tiêu ngữ", f"Tiêu ngữ “{MOTTO}” dưới Quốc hiệu"))
        return problems
    problems += look_problems("Tiêu ngữ", doc.motto, LOOKS["Tiêu ngữ"])
    shown = DASHES.sub(" - ", clean(doc.motto.text))
    if shown != MOTTO or any(r.caps for r in doc.motto.visible):
        problems.append(LayoutProblem("Tiêu ngữ", f"Tiêu ngữ “{excerpt(doc.motto.text)}” viết "
                                                  f"sai chữ hoa; yêu cầu “{MOTTO}” (chỉ viết hoa "
                                                  "chữ cái đầu mỗi cụm từ)."))
    return problems


def _issuer(doc: Anatomy) -> list[LayoutProblem]:
    """The lines above Số: an optional parent body (not bold), then the issuing body (bold)."""
    element = "Cơ quan ban hành"
    if not doc.issuer:
        return []  # not mandatory on its own: the Số line and Quốc hiệu carry the header
    problems = []
    for para in doc.issuer:
        problems += look_problems(element, para, LOOKS[element])
    # The issuing body is the last line(s); a line not bold after a bold one breaks that block.
    seen_bold = False
    for para in doc.issuer:
        if para.bold:
            seen_bold = True
        elif seen_bold or para is doc.issuer[-1]:
            problems.append(LayoutProblem(element, f"Tên cơ quan ban hành “{excerpt(para.text)}”"
                                                   ": chưa in đậm; yêu cầu chữ in hoa, đậm, cỡ "
                                                   "chữ 12–13 pt (cơ quan chủ quản phía trên thì "
                                                   "không đậm)."))
    return problems


def _number(doc: Anatomy) -> list[LayoutProblem]:
    element = "Số, ký hiệu"
    if doc.number is None:
        return [missing(element, "dòng “Số: …/…” dưới tên cơ quan ban hành")]
    problems = look_problems(element, doc.number, LOOKS[element], "Dòng số, ký hiệu")
    text = clean(doc.number.text)
    match = _number_match(text)
    if match is None:
        return problems + [LayoutProblem(element, f"Dòng “{excerpt(text)}” không đúng dạng; yêu "
                                                  "cầu “Số: 05/KH-UBND” (số/ký hiệu).")]
    number, code = match["n"], _code(match)
    if number and int(number) < 10 and len(number) < 2:
        problems.append(LayoutProblem(element, f"Số “{number}” thiếu số 0 ở đầu; yêu cầu số nhỏ "
                                               f"hơn 10 viết 2 chữ số (“{int(number):02d}”)."))
    expected = TYPES.get(doc.type_name)
    if code in TYPES.values():
        if expected and code != expected:
            problems.append(LayoutProblem(element, f"Ký hiệu “{code}” không khớp tên loại "
                                                   f"“{doc.type_name}”; yêu cầu “{expected}”."))
    elif _loose(code) in _LOOSE_CODES:
        problems.append(LayoutProblem(element, f"Chữ viết tắt tên loại “{code}” viết sai; yêu "
                                               f"cầu “{_LOOSE_CODES[_loose(code)]}”."))
    elif expected:
        problems.append(LayoutProblem(element, f"Ký hiệu “{match['symbol']}” thiếu chữ viết tắt "
                                               f"tên loại; yêu cầu bắt đầu bằng “{expected}-” "
                                               f"(ví dụ “{expected}-UBND”)."))
    return problems


def _number_match(text: str) -> re.Match[str] | None:
    """The Số line in the state style (`05/KH-UBND`) or the Party style (`56-BC/TĐTN`)."""
    return _NUMBER.match(text) or _PARTY_NUMBER.match(text)


def _code(match: re.Match[str]) -> str:
    """The first part of the symbol: the type code, or the issuer's code in a công văn."""
    return match["symbol"].split("-")[0].strip()


def _loose(code: str) -> str:
    return fold(code).replace("đ", "d")


# Codes as clerks mistype them (QD, TTR, QYĐ) lead back to the right spelling.
_LOOSE_CODES = {_loose(c): c for c in TYPES.values()}


def _is_cong_van(doc: Anatomy) -> bool:
    """A công văn has a Số line whose symbol starts with no type code (`12/UBND-VX`)."""
    match = _number_match(clean(doc.number.text)) if doc.number else None
    return match is not None and _loose(_code(match)) not in _LOOSE_CODES


def _date(doc: Anatomy) -> list[LayoutProblem]:
    element = "Địa danh, ngày tháng"
    if doc.date is None:
        return [missing(element, "dòng địa danh, ngày tháng (ví dụ “Thái Nguyên, ngày 05 tháng "
                                 "01 năm 2025”)")]
    problems = look_problems(element, doc.date, LOOKS[element], "Dòng địa danh, ngày tháng")
    text = clean(doc.date.text)
    when = text.partition(",")[2]
    match = _DATE.match(when.strip())
    form = "“<Địa danh>, ngày dd tháng m năm yyyy”"
    if match is None:
        return problems + [LayoutProblem(element, f"Dòng “{excerpt(text)}” không đúng dạng; "
                                                  f"yêu cầu {form}.")]
    day, month, year = match["d"], match["m"], match["y"]
    if not day and not month:
        return problems  # a draft: the day is written in when the document is signed
    if not day or not month:
        return problems + [LayoutProblem(element, f"Dòng “{excerpt(text)}” ghi thiếu ngày hoặc "
                                                  "tháng; yêu cầu ghi đủ cả hai, hoặc để trống "
                                                  "cả hai khi là dự thảo.")]
    d, m = int(day), int(month)
    try:
        dt.date(int(year), m, d)
    except ValueError:
        return problems + [LayoutProblem(element, f"“ngày {day} tháng {month} năm {year}” không "
                                                  "phải một ngày có thật.")]
    if day != f"{d:02d}":
        rule = "ngày từ 1 đến 9 phải có số 0 ở đầu" if d < 10 else "ngày ghi 2 chữ số"
        problems.append(LayoutProblem(element, f"“ngày {day}”: {rule}; yêu cầu “ngày {d:02d}”."))
    want = f"{m:02d}" if m < 3 else str(m)
    if month != want:
        rule = ("tháng 1 và 2 phải có số 0 ở đầu" if m < 3
                else "tháng 3 đến 12 không có số 0 ở đầu")
        problems.append(LayoutProblem(element, f"“tháng {month}”: {rule}; yêu cầu “tháng "
                                               f"{want}”."))
    return problems
