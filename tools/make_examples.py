"""Fill the shipped blank DN form with sample nominations, as a unit's clerk would.

Run: .venv/bin/python tools/make_examples.py  → examples/DN-SNV-de-nghi-khen-thuong-mau.xlsx
Copy that file into inbox/SNV/ to see docflow answer (README, "Two commands").
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook

from docflow.config import load
from docflow.forms.write_xlsx import blank_form

ROOT = Path(__file__).resolve().parent.parent
INFO = {"Mã đơn vị": "SNV", "Tên đơn vị": "Sở Nội vụ", "Số tờ trình": "125/TTr-SNV",
        "Ngày tờ trình": dt.date(2025, 12, 10), "Số biên bản họp Hội đồng": "18/BB-HĐTĐKT",
        "Ngày họp Hội đồng": dt.date(2025, 12, 8), "Chức danh thủ trưởng": "Giám đốc",
        "Người ký": "Trần Văn Bình", "Chức vụ người ký": "Phó Giám đốc"}
CHAIRMAN, GK = "Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen"
ROWS = [
    ("Tập thể", "Phòng Thi đua - Khen thưởng", None, None, None, "Sở Nội vụ", CHAIRMAN, 0),
    ("Tập thể", "Phòng Tổ chức cán bộ", None, None, None, "Sở Nội vụ", CHAIRMAN, 1),
    ("Cá nhân", "Nguyễn Thị Hoà", "Nữ", dt.date(1982, 3, 14), "Trưởng phòng",
     "Phòng Thi đua - Khen thưởng, Sở Nội vụ", CHAIRMAN, 2),
    ("Cá nhân", "Lê Văn Đức", "Nam", dt.date(1990, 11, 2), "Chuyên viên",
     "Phòng Tổ chức cán bộ, Sở Nội vụ", CHAIRMAN, 1),
    ("Cá nhân", "Phạm Thị Thuý", "Nữ", dt.date(1995, 7, 25), "Chuyên viên",
     "Văn phòng Sở Nội vụ", GK, 0),
]
SUMMARY = ("Hoàn thành xuất sắc nhiệm vụ; tích cực tuyên truyền Kỷ niệm 80 năm Ngày Tổng tuyển cử "
           "đầu tiên bầu Quốc hội Việt Nam.")


def main() -> Path:
    """Write the filled example workbook and return its path."""
    config = load(ROOT / "config.toml")
    blank = blank_form(config.forms["DN"], tuple(a.name for a in config.awards))
    wb = load_workbook(io.BytesIO(blank))
    info = wb["Thông tin"]
    for row in range(1, info.max_row + 1):
        info.cell(row, 2, INFO[info.cell(row, 1).value.rstrip(" *")])
    table = wb["Danh sách"]
    for i, (kind, name, gender, born, position, workplace, award, initiatives) in enumerate(
            ROWS, start=1):
        values = [i, kind, name, gender, born, position, workplace, award, SUMMARY, initiatives]
        for col, value in enumerate(values, start=1):
            table.cell(3 + i, col, value)
    out = ROOT / "examples" / "DN-SNV-de-nghi-khen-thuong-mau.xlsx"
    wb.save(out)
    return out


if __name__ == "__main__":
    print(main())
