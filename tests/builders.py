"""Build the input files tests feed docflow: filled DN workbooks, workspaces, clocks."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
# The suite's own pinned copy of the sample config and templates: an office editing the live
# config.toml or templates/ never changes what the tests see.
DATA = Path(__file__).resolve().parent / "data"

DN_INFO_LABELS = {
    "unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "proposal_number": "Số tờ trình",
    "proposal_date": "Ngày tờ trình", "council_minutes_number": "Số biên bản họp Hội đồng",
    "council_date": "Ngày họp Hội đồng", "head_title": "Chức danh thủ trưởng",
    "signer": "Người ký", "signer_title": "Chức vụ người ký"}
DN_COLUMNS = {
    "stt": "STT", "kind": "Loại", "name": "Họ và tên / Tên tập thể", "gender": "Giới tính",
    "birth_date": "Ngày sinh", "position": "Chức vụ", "workplace": "Đơn vị công tác",
    "award": "Hình thức đề nghị", "achievements": "Tóm tắt thành tích",
    "initiatives": "Số sáng kiến được công nhận", "highest_award": "Khen thưởng cao nhất đã có",
    "award_year": "Năm được khen", "report_file": "Tệp báo cáo thành tích"}
UNIT_NAMES = {"SNV": "Sở Nội vụ", "SYT": "Sở Y tế", "STC": "Sở Tài chính"}
CHAIRMAN = "Bằng khen của Chủ tịch UBND tỉnh"
PRIME_MINISTER = "Bằng khen của Thủ tướng Chính phủ"
ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ, dẫn đầu phong trào thi đua năm 2025."


def dn_info(unit: str, **overrides: Any) -> dict[str, Any]:
    """A valid Thông tin sheet for a unit, by field key."""
    info = {"unit_code": unit, "unit_name": UNIT_NAMES.get(unit, unit),
            "proposal_number": f"12/TTr-{unit}", "proposal_date": dt.date(2025, 11, 20),
            "council_minutes_number": "05/BB-HĐTĐKT", "council_date": dt.date(2025, 11, 15),
            "head_title": "Giám đốc", "signer": "Trần Văn Bình", "signer_title": "Phó Giám đốc"}
    info.update(overrides)
    return info


def collective(name: str, award: str = CHAIRMAN, **overrides: Any) -> dict[str, Any]:
    """A valid Tập thể row, by field key."""
    row = {"kind": "Tập thể", "name": name, "workplace": name, "award": award,
           "achievements": ACHIEVEMENTS, "initiatives": 0}
    row.update(overrides)
    return row


def person(name: str, gender: str = "Nam", award: str = CHAIRMAN, **overrides: Any) -> dict:
    """A valid Cá nhân row, by field key."""
    row = {"kind": "Cá nhân", "name": name, "gender": gender, "birth_date": dt.date(1980, 5, 17),
           "position": "Chuyên viên", "workplace": "Phòng Tổ chức cán bộ", "award": award,
           "achievements": ACHIEVEMENTS, "initiatives": 1}
    row.update(overrides)
    return row


def dn_workbook(path: Path, info: dict[str, Any], rows: list[dict[str, Any]], *,
                columns: list[str] | None = None, header_row: int = 1,
                extra_columns: dict[str, list[Any]] | None = None, meta: bool = True) -> Path:
    """Write a filled DN workbook as a clerk would: labels in A, values in B, a list table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    for r, (key, value) in enumerate(info.items(), start=1):
        ws.cell(r, 1, DN_INFO_LABELS.get(key, key))
        ws.cell(r, 2, value)
    table = wb.create_sheet("Danh sách")
    keys = columns or list(DN_COLUMNS)
    headers = [DN_COLUMNS[k] for k in keys] + list((extra_columns or {}).keys())
    for c, label in enumerate(headers, start=1):
        table.cell(header_row, c, label)
    for i, row in enumerate(rows, start=1):
        values = [i if k == "stt" else row.get(k) for k in keys]
        values += [col[i - 1] for col in (extra_columns or {}).values()]
        for c, value in enumerate(values, start=1):
            table.cell(header_row + i, c, value)
    if meta:
        hidden = wb.create_sheet("_docflow")
        hidden["A1"], hidden["A2"] = "DN", 1
        hidden.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def nominations(folder: Path, config: Any, count: int,
                units: tuple[str, ...] = ("SNV", "STC", "SYT", "SGDDT")) -> dict[str, bytes]:
    """`count` nominations from `units` in turn (unit/de-nghi-NNN.xlsx → bytes), each version
    with its own Tờ trình number and its own person, so a decision shows which ones it holds."""
    files = {}
    for n in range(count):
        unit = units[n % len(units)]
        path = dn_workbook(folder / f"{n}.xlsx",
                           dn_info(unit, unit_name=config.unit(unit).name,
                                   proposal_number=f"{n + 1}/TTr-{unit}"),
                           [collective(f"Phòng Tổng hợp {unit}"),
                            person(f"Nguyễn Văn {unit} Số {n:03d}")])
        files[f"{unit}/de-nghi-{n:03d}.xlsx"] = path.read_bytes()
    return files


def assert_answered_once(ws: Any, files: dict[str, bytes]) -> None:
    """Every file of a batch (unit/name → bytes) has one ledger row, accepted, one receipt
    (a superseded version's receipt, moved to outbox/<unit>/cu/, still counts), its original
    archived, and nothing is left in the inbox."""
    rows = ws.ledger.files()
    assert sorted(f"{r.unit}/{r.name}" for r in rows) == sorted(files)  # one row per file
    assert {r.status for r in rows} == {"accepted"}
    for name in files:
        unit, file_name = name.split("/")
        receipts = list((ws.outbox / unit).rglob(f"*-Phieu-tiep-nhan-{Path(file_name).stem}.docx"))
        assert len(receipts) == 1, (name, receipts)
    assert len(list(ws.config.path("state").joinpath("archive").rglob("*.xlsx"))) == len(files)
    assert [p for p in ws.inbox.rglob("*") if p.is_file()] == []


def assert_decision_lists_current_versions(ws: Any, count: int,
                                           units: tuple[str, ...] = ("SNV", "STC", "SYT", "SGDDT")
                                           ) -> str:
    """The Chairman's decision names each nominee of a `nominations` batch once if that file is
    its unit's current version, and never otherwise; returns the decision's text."""
    from docx_reader import full_text

    decision = full_text(ws.outbox / "_tong-hop" /
                         "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx")
    current = {a.record.unit: a.record for a in ws.ledger.current("DN")}
    assert set(current) == set(units)
    for n in range(count):
        unit = units[n % len(units)]
        name = f"Nguyễn Văn {unit} Số {n:03d}"
        is_current = any(row.get("name") == name
                         for rows in current[unit].tables.values() for row in rows)
        assert decision.count(name) == (1 if is_current else 0), name
    return decision


def workspace(tmp: Path, pdf: bool = False) -> Path:
    """A fresh workspace: the pinned sample config and templates (tests/data), empty inbox and outbox.

    PDFs are off unless asked for, so most tests need no LibreOffice; PDF tests opt in.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    text = (DATA / "config.toml").read_text(encoding="utf-8")
    if not pdf:
        text = re.sub(r"(?m)^pdf = true\b", "pdf = false", text)
    (tmp / "config.toml").write_text(text, encoding="utf-8")
    shutil.copytree(DATA / "templates", tmp / "templates",
                    ignore=shutil.ignore_patterns("forms"))
    (tmp / "inbox").mkdir()
    (tmp / "outbox").mkdir()
    return tmp / "config.toml"


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: dt.datetime = dt.datetime(2025, 12, 1, 9, 30)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += dt.timedelta(seconds=seconds)


def pdf_file(path: Path, pages: int = 1, password: str = "") -> Path:
    """A small PDF, as a unit's scanned báo cáo thành tích would be."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


INDICATORS = ["Số hội nghị, buổi tuyên truyền đã tổ chức", "Số lượt người tham gia",
              "Số tin, bài tuyên truyền", "Số sáng kiến, giải pháp được công nhận",
              "Số tập thể được khen thưởng", "Số cá nhân được khen thưởng"]


def form_workbook(path: Path, kind: str, info: dict[str, Any],
                  tables: dict[str, tuple[list[str], list[list[Any]]]],
                  extra_fields: dict[str, dict[str, Any]] | None = None) -> Path:
    """A filled workbook of any form: label/value `info` on Thông tin, then table sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    for r, (label, value) in enumerate(info.items(), start=1):
        ws.cell(r, 1, label)
        ws.cell(r, 2, value)
    for name, (headers, rows) in tables.items():
        sheet = wb.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    for name, fields in (extra_fields or {}).items():
        sheet = wb.create_sheet(name)
        for label, value in fields.items():
            sheet.append([label, value])
    hidden = wb.create_sheet("_docflow")
    hidden["A1"], hidden["A2"] = kind, 1
    hidden.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def dk_workbook(path: Path, unit: str, targets: list[list[Any]], **info: Any) -> Path:
    """A filled DK registration with its targets."""
    fields = {"Mã đơn vị": unit, "Tên đơn vị": UNIT_NAMES.get(unit, unit),
              "Số ký hiệu kế hoạch": f"25/KH-{unit}", "Ngày ban hành": dt.date(2024, 3, 5),
              "Chức danh thủ trưởng": "Giám đốc", "Người ký": "Trần Văn Bình",
              "Chức vụ người ký": "Phó Giám đốc", "Email": "vanthu@thainguyen.gov.vn"}
    fields.update(info)
    headers = ["STT", "Nội dung chỉ tiêu", "Số lượng", "Đơn vị tính", "Thời hạn hoàn thành",
               "Bộ phận chủ trì"]
    return form_workbook(path, "DK", fields, {"Chỉ tiêu": (headers, targets)})


def bc_workbook(path: Path, unit: str, achieved: list[int], period: str = "Năm 2025",
                highlights: str = "Tổ chức thành công hội nghị tuyên truyền.",
                planned: list[int] | None = None, review: dict[str, Any] | None = None,
                **info: Any) -> Path:
    """A filled BC results report: one line per default indicator (planned = achieved unless
    given); `review` replaces the Đánh giá fields."""
    fields = {"Mã đơn vị": unit, "Tên đơn vị": UNIT_NAMES.get(unit, unit),
              "Số ký hiệu báo cáo": f"30/BC-{unit}", "Ngày báo cáo": dt.date(2025, 12, 15),
              "Kỳ báo cáo": period, "Chức danh thủ trưởng": "Giám đốc",
              "Người ký": "Trần Văn Bình", "Chức vụ người ký": "Phó Giám đốc"}
    fields.update(info)
    rows = [[i, name, plan, value, None] for i, (name, plan, value) in
            enumerate(zip(INDICATORS, planned or achieved, achieved), start=1)]
    return form_workbook(path, "BC", fields,
                         {"Kết quả": (["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Ghi chú"], rows)},
                         {"Đánh giá": review or {"Kết quả nổi bật": highlights,
                                                 "Tồn tại, hạn chế": "Kinh phí còn hạn chế."}})


def config_line(start: str, n: int = 1) -> int:
    """The line number of the n-th line of the pinned config.toml that starts with `start`
    (after indentation): messages name lines, and the sample config grows."""
    lines = (DATA / "config.toml").read_text("utf-8").splitlines()
    found = [i for i, line in enumerate(lines, start=1) if line.lstrip().startswith(start)]
    return found[n - 1]
