"""Build history (LS) workbooks and register rows for the award-register tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

LS_COLUMNS = ["STT", "Loại", "Họ và tên / Tên tập thể", "Ngày sinh", "Đơn vị công tác",
              "Danh hiệu / Hình thức", "Năm", "Số quyết định", "Ngày quyết định",
              "Cơ quan quyết định"]
RATING_COLUMNS = ["Họ và tên", "Ngày sinh", "Năm", "Xếp loại"]
CSTDCS = "Chiến sĩ thi đua cơ sở"
BORN = dt.date(1985, 3, 12)


def award_row(name: str, year: int, title: str = CSTDCS, born: dt.date | None = BORN,
              workplace: str = "Phòng Tổ chức cán bộ, Sở Nội vụ", number: str = "",
              kind: str = "Cá nhân") -> list[Any]:
    """One line of the Sổ khen thưởng sheet, decided on 20 December of its year."""
    return [None, kind, name, born, workplace, title, year,
            number or f"{year - 2000}{len(name) % 10}/QĐ-SNV", dt.date(year, 12, 20),
            "Sở Nội vụ"]


def ls_workbook(path: Path, rows: list[list[Any]], ratings: list[list[Any]] | None = None,
                meta: bool = True) -> Path:
    """A filled LS workbook: the award table and, when given, the Xếp loại table."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Sổ khen thưởng"
    sheet.append(LS_COLUMNS)
    for i, row in enumerate(rows, start=1):
        sheet.append([i, *row[1:]])
    if ratings is not None:
        table = wb.create_sheet("Xếp loại")
        table.append(RATING_COLUMNS)
        for row in ratings:
            table.append(row)
    if meta:
        hidden = wb.create_sheet("_docflow")
        hidden["A1"], hidden["A2"] = "LS", 1
        hidden.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def annual_workspace(tmp: Path) -> Path:
    """A fresh workspace on the shipped annual round (examples/khen-thuong-nam-2025), its own
    templates folder and register, PDFs off."""
    import re
    import shutil

    root = Path(__file__).resolve().parent.parent
    text = (root / "examples" / "khen-thuong-nam-2025" / "config.toml").read_text("utf-8")
    text = text.replace('templates = "../../templates"', 'templates = "templates"')
    text = text.replace('path = "../../so-khen-thuong.sqlite3"', 'path = "so-khen-thuong.sqlite3"')
    text = re.sub(r"(?m)^pdf = true\b", "pdf = false", text)
    (tmp / "config.toml").write_text(text, encoding="utf-8")
    shutil.copytree(root / "templates", tmp / "templates", ignore=shutil.ignore_patterns("forms"))
    (tmp / "inbox").mkdir()
    (tmp / "outbox").mkdir()
    return tmp / "config.toml"
