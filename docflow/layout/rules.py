"""Nghị định 30 rules on the page as a whole: paper, margins, font, page numbers; and the
shared vocabulary of layout findings (LayoutProblem, Look)."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.layout.reader import Layout, Page, Para
from docflow.layout.elements import starts
from docflow.models import Severity
from docflow.text import clean

FONT = "Times New Roman"
A4 = (210.0, 297.0)
PAPER_TOLERANCE_MM = 1.0
# Word stores margins in twips: 1.5 cm is 850 twips, 14.99 mm, so a hair of slack is needed.
MARGIN_TOLERANCE_MM = 0.1
MARGINS = {"top": ("Lề trên", 20, 25), "bottom": ("Lề dưới", 20, 25),
           "left": ("Lề trái", 30, 35), "right": ("Lề phải", 15, 20)}
# Lines that open an appendix, the only place a landscape page is allowed.
APPENDIX_OPENINGS = ("phụ lục", "danh sách", "(kèm theo", "kèm theo")


@dataclass(frozen=True)
class LayoutProblem:
    """One departure from Nghị định 30: which element, what is wrong and what is expected."""

    element: str
    message: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class Look:
    """How an element must look; None means the rule does not care."""

    size: tuple[float, float] | None = None
    bold: bool | None = None
    italic: bool | None = None
    upper: bool = False
    centred: bool = False

    def describe(self) -> str:
        """The requirement in words, e.g. `cỡ chữ 12–13 pt, chữ in hoa, đậm`."""
        parts = []
        if self.size:
            low, high = (_pt(v) for v in self.size)
            parts.append(f"cỡ chữ {low} pt" if low == high else f"cỡ chữ {low}–{high} pt")
        if self.upper:
            parts.append("chữ in hoa")
        if self.bold is not None:
            parts.append("đậm" if self.bold else "không đậm")
        if self.italic is not None:
            parts.append("nghiêng" if self.italic else "chữ đứng (không nghiêng)")
        if self.centred:
            parts.append("căn giữa")
        return ", ".join(parts)


def _pt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def excerpt(text: str, limit: int = 50) -> str:
    """A short quotable piece of a paragraph."""
    text = clean(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def look_problems(element: str, para: Para, look: Look,
                  what: str | None = None) -> list[LayoutProblem]:
    """Every way `para` departs from `look`, one problem each, naming the text and the rule."""
    faults = []
    sizes = para.sizes
    if look.size and sizes and not all(look.size[0] <= s <= look.size[1] for s in sizes):
        faults.append(f"cỡ chữ {', '.join(_pt(s) for s in sizes)} pt")
    if look.upper and not para.upper:
        faults.append("chưa viết in hoa")
    if look.bold is True and not para.bold:
        faults.append("chưa in đậm")
    if look.bold is False and any(r.bold for r in para.visible):
        faults.append("không được in đậm")
    if look.italic is True and not para.italic:
        faults.append("chưa in nghiêng")
    if look.italic is False and not para.upright:
        faults.append("đang in nghiêng")
    if look.centred and para.align != "center":
        faults.append("chưa căn giữa")
    name = what or element
    return [LayoutProblem(element, f"{name} “{excerpt(para.text)}”: {fault}; yêu cầu "
                                   f"{look.describe()}.") for fault in faults]


def missing(element: str, expected: str) -> LayoutProblem:
    """A mandatory element that could not be found."""
    return LayoutProblem(element, f"Không tìm thấy {expected}; đây là thành phần bắt buộc.")


def page_problems(layout: Layout) -> list[LayoutProblem]:
    """Paper size and margins of every section, the font of every run, and page numbers."""
    problems = []
    for page in layout.pages:
        where = f"Phần {page.index + 1} của văn bản: " if len(layout.pages) > 1 else ""
        problems += _paper(page, where, _is_appendix(layout, page.index))
        problems += _margins(page, where)
    return problems + _fonts(layout) + _page_numbers(layout)


def _is_appendix(layout: Layout, section: int) -> bool:
    return section > 0 and any(starts(p.text, *APPENDIX_OPENINGS)
                               for p in layout.body if p.section == section)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= PAPER_TOLERANCE_MM


def _paper(page: Page, where: str, appendix: bool) -> list[LayoutProblem]:
    portrait = _near(page.width, A4[0]) and _near(page.height, A4[1])
    landscape = _near(page.width, A4[1]) and _near(page.height, A4[0])
    if portrait or (landscape and appendix):
        return []
    found = f"{page.width:.0f} × {page.height:.0f} mm"
    if landscape:
        return [LayoutProblem("Khổ giấy", f"{where}Trang A4 khổ ngang ({found}); yêu cầu A4 khổ "
                                          "đứng 210 × 297 mm, khổ ngang chỉ dùng cho phụ lục.")]
    return [LayoutProblem("Khổ giấy", f"{where}Khổ giấy {found}; yêu cầu A4 khổ đứng "
                                      "210 × 297 mm (sai số 1 mm).")]


def _margins(page: Page, where: str) -> list[LayoutProblem]:
    problems = []
    for side, (name, low, high) in MARGINS.items():
        value = getattr(page, side)
        if not low - MARGIN_TOLERANCE_MM <= value <= high + MARGIN_TOLERANCE_MM:
            problems.append(LayoutProblem("Lề trang", f"{where}{name} {_pt(round(value, 1))} "
                                                      f"mm; yêu cầu {low}–{high} mm."))
    return problems


def _fonts(layout: Layout) -> list[LayoutProblem]:
    """One problem per wrong font (and per non-black colour), with how often and an example."""
    fonts: dict[str, list[Para]] = {}
    colors: dict[str, list[Para]] = {}
    everywhere = layout.body + layout.headers + layout.footers + layout.first_page
    for para in {id(p): p for p in everywhere}.values():  # a first-page header may be the default
        for run in para.visible:
            for font in run.fonts:
                if font != FONT:
                    _note(fonts.setdefault(font, []), para)
            if run.color not in ("AUTO", "000000"):
                _note(colors.setdefault(run.color, []), para)
    problems = []
    for font, paras in fonts.items():
        name = (f"Phông theo chủ đề (theme) {font[6:]}" if font.startswith("theme:")
                else f"Phông {font}" if font else "Chưa khai báo phông")
        problems.append(LayoutProblem("Phông chữ", f"{name} ở {len(paras)} đoạn (ví dụ "
                                                   f"“{excerpt(paras[0].text)}”); yêu cầu "
                                                   f"{FONT} cho toàn văn bản."))
    for color, paras in colors.items():
        problems.append(LayoutProblem("Phông chữ", f"Chữ màu {color} ở {len(paras)} đoạn (ví dụ "
                                                   f"“{excerpt(paras[0].text)}”); yêu cầu chữ "
                                                   "màu đen."))
    return problems


def _note(paras: list[Para], para: Para) -> None:
    # Runs of one paragraph come together, so checking the last entry counts each paragraph once.
    if not paras or paras[-1] is not para:
        paras.append(para)


def _page_numbers(layout: Layout) -> list[LayoutProblem]:
    element = "Số trang"
    problems = []
    if any(p.page_field for p in layout.first_page):
        problems.append(LayoutProblem(element, "Trang đầu đang hiện số trang; yêu cầu không đánh "
                                               "số trang đầu (bật “Trang đầu khác” – Different "
                                               "First Page – hoặc bỏ trường PAGE ở trang đầu)."))
    in_header = [p for p in layout.headers if p.page_field]
    if not in_header and any(p.page_field for p in layout.footers):
        problems.append(LayoutProblem(element, "Số trang đang đặt ở chân trang; yêu cầu đặt ở "
                                               "giữa lề trên (phần đầu trang)."))
    elif not in_header:
        problems.append(LayoutProblem(element, "Văn bản chưa đánh số trang; văn bản từ 2 trang "
                                               "trở lên phải đánh số trang ở giữa lề trên.",
                                      Severity.WARNING))
    for para in in_header:
        problems += look_problems(element, para, Look(size=(13, 14), centred=True), "Số trang")
    if any(page.number_format not in ("", "decimal") for page in layout.pages):
        problems.append(LayoutProblem(element, "Số trang không phải chữ số Ả Rập; yêu cầu 1, 2, "
                                               "3…"))
    return problems
