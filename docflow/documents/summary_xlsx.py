"""The provincial results workbook of one period: the indicators with their ratio to plan and a
chart of that ratio, one row per unit with its report's number and date, the awards proposed,
and, on a sheet marked internal, the units that have not reported (for the office only).

Totals are SUM formulas so a clerk who corrects a figure sees the total follow; numbers show
Vietnamese grouping (`5.762`) through a number format that does not depend on the reader's
locale; every table has borders, a tall wrapped header, and prints one page wide."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docflow.documents.xlsx_safe import put

_FONT = "Times New Roman"
_BOLD = Font(name=_FONT, bold=True, size=12)
_PLAIN = Font(name=_FONT, size=12)
_TITLE = Font(name=_FONT, bold=True, size=14)
_NOTE = Font(name=_FONT, italic=True, size=11)
_WARN = Font(name=_FONT, bold=True, size=12, color="C00000")
_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = Alignment(wrap_text=True, horizontal="center", vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center")
# `5.762`, `1.250.000` whatever the reader's locale: literal dots, not the locale's separator.
GROUPED = '[>=1000000]#"."###"."###;[>=1000]#"."###;0'
PERCENT = "0%"
INDICATORS, UNITS, AWARDS, INTERNAL = ("Chỉ tiêu", "Theo đơn vị", "Khen thưởng",
                                       "Chưa báo cáo (nội bộ)")


class F(str):
    """A formula docflow itself writes; any other text is stored as text (xlsx_safe.put)."""


def summary_workbook(data: dict[str, Any]) -> bytes:
    """The workbook of one report period, as .xlsx bytes."""
    title = f"Bảng tổng hợp kết quả {data['period'][:1].lower()}{data['period'][1:]}"
    wb = Workbook()
    _indicators(wb.active, data, title)
    _units(wb.create_sheet(UNITS), data, title)
    _awards(wb.create_sheet(AWARDS), data, title)
    _internal(wb.create_sheet(INTERNAL), data)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _indicators(ws: Worksheet, data: dict[str, Any], title: str) -> None:
    """Per indicator: Kế hoạch, Thực hiện (SUM over the units' sheet), Tỷ lệ; and the chart."""
    ws.title = INDICATORS
    _title(ws, title, f"Tổng hợp từ báo cáo của {len(data['rows'])} cơ quan, đơn vị, địa phương",
           5)
    _header(ws, 4, ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ thực hiện so với kế hoạch"])
    first, last = 5, 4 + len(data["rows"])
    for i, name in enumerate(data["names"]):
        row = 5 + i
        plan_col, done_col = (get_column_letter(6 + 3 * i + k) for k in (0, 1))
        if data["rows"]:
            planned = F(f"=SUM('{UNITS}'!{plan_col}{first + 1}:{plan_col}{last + 1})")
            achieved = F(f"=SUM('{UNITS}'!{done_col}{first + 1}:{done_col}{last + 1})")
        else:
            planned = achieved = 0
        _cells(ws, row, [i + 1, name, planned, achieved, F(f'=IF(C{row}>0,D{row}/C{row},"")')],
               [None, None, GROUPED, GROUPED, PERCENT])
    _widths(ws, [6, 48, 14, 14, 16])
    _print(ws, landscape=False, title_rows="4:4")
    if data["names"]:
        chart = BarChart()
        chart.type, chart.style = "bar", 10
        chart.title = "Tỷ lệ thực hiện so với kế hoạch"
        end = 4 + len(data["names"])
        chart.add_data(Reference(ws, min_col=5, min_row=4, max_row=end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=5, max_row=end))
        chart.y_axis.numFmt, chart.y_axis.title = "0%", "Tỷ lệ so với kế hoạch"
        chart.x_axis.scaling.orientation = "maxMin"  # first indicator on top, as in the table
        chart.y_axis.delete = chart.x_axis.delete = False
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showVal = True  # the percentage only, not the names again
        chart.dataLabels.showCatName = chart.dataLabels.showSerName = False
        chart.dataLabels.showLegendKey = chart.dataLabels.showPercent = False
        chart.legend, chart.width, chart.height = None, 22, 9
        ws.add_chart(chart, f"B{end + 3}")


def _units(ws: Worksheet, data: dict[str, Any], title: str) -> None:
    """One row per unit: its report's number and date, then Kế hoạch / Thực hiện / Tỷ lệ of
    each indicator; a total row of SUM formulas."""
    names = data["names"]
    width = 5 + 3 * len(names)
    _title(ws, title, "Số liệu theo từng cơ quan, đơn vị, địa phương", width)
    fixed = ["STT", "Mã đơn vị", "Tên đơn vị", "Số báo cáo", "Ngày báo cáo"]
    for col, text in enumerate(fixed, start=1):
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
        _head(ws, 4, col, text)
        _head(ws, 5, col, "")
    for i, name in enumerate(names):
        col = 6 + 3 * i
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
        for k, text in enumerate((name, "", "")):
            _head(ws, 4, col + k, text)
        for k, text in enumerate(("Kế hoạch", "Thực hiện", "Tỷ lệ")):
            _head(ws, 5, col + k, text)
    ws.row_dimensions[4].height, ws.row_dimensions[5].height = 62, 20
    row = 6
    for n, item in enumerate(data["rows"], start=1):
        values: list[Any] = [n, item["unit"].code, item["label"], item["number"], item["date"]]
        formats: list[str | None] = [None, None, None, None, "dd/mm/yyyy"]
        for i, name in enumerate(names):
            plan, done = (get_column_letter(6 + 3 * i + k) for k in (0, 1))
            values += [_number(item["planned"].get(name)), _number(item["achieved"].get(name)),
                       F(f'=IF(N({plan}{row})>0,{done}{row}/{plan}{row},"")')]
            formats += [GROUPED, GROUPED, PERCENT]
        _cells(ws, row, values, formats)
        row += 1
    total: list[Any] = ["", "", "Tổng cộng", "", ""]
    formats = [None] * 5
    for i, _ in enumerate(names):
        plan, done = (get_column_letter(6 + 3 * i + k) for k in (0, 1))
        total += [F(f"=SUM({plan}6:{plan}{row - 1})") if data["rows"] else 0,
                  F(f"=SUM({done}6:{done}{row - 1})") if data["rows"] else 0,
                  F(f'=IF({plan}{row}>0,{done}{row}/{plan}{row},"")')]
        formats += [GROUPED, GROUPED, PERCENT]
    _cells(ws, row, total, formats, bold=True)
    _widths(ws, [5, 11, 28, 12, 11] + [9, 9, 7] * len(names))
    ws.freeze_panes = "D6"
    _print(ws, landscape=True, title_rows="4:5")


def _awards(ws: Worksheet, data: dict[str, Any], title: str) -> None:
    """Awards proposed in the period by level, collectives and individuals, with totals."""
    _title(ws, title, "Đề nghị khen thưởng theo hình thức", 6)
    _header(ws, 4, ["STT", "Hình thức khen thưởng", "Thẩm quyền quyết định", "Tập thể",
                    "Cá nhân", "Cộng"])
    row = 5
    for i, award in enumerate(data["awards"], start=1):
        _cells(ws, row, [i, award["name"], award["decider"], award["collective"],
                         award["individual"], F(f"=D{row}+E{row}")],
               [None, None, None, GROUPED, GROUPED, GROUPED])
        row += 1
    sums = [F(f"=SUM({c}5:{c}{row - 1})") if row > 5 else 0 for c in "DEF"]
    _cells(ws, row, ["", "Tổng cộng", "", *sums], [None, None, None, GROUPED, GROUPED, GROUPED],
           bold=True)
    _widths(ws, [6, 40, 36, 11, 11, 11])
    _print(ws, landscape=False, title_rows="4:4")


def _internal(ws: Worksheet, data: dict[str, Any]) -> None:
    """The units that have not reported: for the office's reminders, never sent upward."""
    put(ws, 1, 1, f"ĐƠN VỊ CHƯA GỬI BÁO CÁO {data['period'].upper()}").font = _TITLE
    put(ws, 2, 1, "TÀI LIỆU NỘI BỘ của Ban Thi đua - Khen thưởng để đôn đốc; không gửi kèm báo "
                  "cáo lên cấp trên.").font = _WARN
    _header(ws, 4, ["STT", "Mã đơn vị", "Tên đơn vị"])
    for i, unit in enumerate(data["missing"], start=1):
        _cells(ws, 4 + i, [i, unit.code, unit.name], [None, None, None])
    _widths(ws, [6, 16, 50])
    _print(ws, landscape=False, title_rows="4:4")
    ws.sheet_properties.tabColor = "C00000"


def _title(ws: Worksheet, title: str, subtitle: str, width: int) -> None:
    put(ws, 1, 1, title.upper()).font = _TITLE
    put(ws, 2, 1, subtitle).font = _NOTE
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
        ws.cell(row, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[1].height = 36


def _header(ws: Worksheet, row: int, texts: list[str]) -> None:
    for col, text in enumerate(texts, start=1):
        _head(ws, row, col, text)
    ws.row_dimensions[row].height = 45


def _head(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = put(ws, row, col, text) if text else ws.cell(row, col)
    cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _FILL, _HEAD, _BOX


def _cells(ws: Worksheet, row: int, values: list[Any], formats: list[str | None],
           bold: bool = False) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats), start=1):
        cell = ws.cell(row, col) if isinstance(value, F) else put(ws, row, col, value)
        if isinstance(value, F):
            cell.value = str(value)
        cell.font, cell.border = _BOLD if bold else _PLAIN, _BOX
        cell.alignment = _CENTRE if col == 1 else _WRAP
        if fmt:
            cell.number_format = fmt


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _print(ws: Worksheet, landscape: bool, title_rows: str) -> None:
    """A4, one page wide (as many pages long as needed), heading rows on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
