"""The provincial results workbook: one row per unit, totals, a chart, the units not reported."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from docflow.documents.xlsx_safe import put

_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
_FILL = PatternFill("solid", fgColor="DDEBF7")


def summary_workbook(data: dict[str, Any], title: str) -> bytes:
    """The workbook of one report period, as .xlsx bytes (values, not formulas)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    names = data["names"]
    put(ws, 1, 1, title).font = Font(name="Times New Roman", bold=True, size=14)
    headers = ["STT", "Mã đơn vị", "Tên đơn vị", *names]
    for col, text in enumerate(headers, start=1):
        cell = put(ws, 3, col, text)
        cell.font, cell.fill = _BOLD, _FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    row = 4
    for i, item in enumerate(data["rows"], start=1):
        values = [i, item["unit"].code, item["label"],
                  *(_number(item["achieved"].get(n)) for n in names)]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value).font = _PLAIN
        row += 1
    put(ws, row, 3, "Tổng cộng").font = _BOLD
    for col, name in enumerate(names, start=4):
        put(ws, row, col, _number(data["totals"][name][1])).font = _BOLD
    _widths(ws, len(headers))
    if data["rows"]:
        chart = BarChart()
        chart.title, chart.y_axis.title = "Tổng kết quả thực hiện theo chỉ tiêu", "Thực hiện"
        chart.add_data(Reference(ws, min_col=4, max_col=3 + len(names), min_row=row, max_row=row),
                       from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=4, max_col=3 + len(names), min_row=3))
        chart.legend, chart.width, chart.height = None, 24, 10
        ws.add_chart(chart, f"C{row + 3}")
    missing = wb.create_sheet("Chưa báo cáo")
    period = data["period"][:1].lower() + data["period"][1:]  # `năm 2025`, not `— Năm 2025`
    put(missing, 1, 1, f"Đơn vị chưa gửi báo cáo {period}").font = _BOLD
    for col, text in enumerate(["STT", "Mã đơn vị", "Tên đơn vị"], start=1):
        put(missing, 3, col, text).font = _BOLD
    for i, unit in enumerate(data["missing"], start=1):
        for col, value in enumerate([i, unit.code, unit.name], start=1):
            put(missing, 3 + i, col, value).font = _PLAIN
    _widths(missing, 3)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _widths(ws: Any, columns: int) -> None:
    for col in range(1, columns + 1):
        ws.column_dimensions[get_column_letter(col)].width = {1: 6, 2: 14, 3: 45}.get(col, 16)
