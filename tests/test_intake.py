"""Intake of DN workbooks as clerks really save them: found by label, columns in any order."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from builders import CHAIRMAN, DN_COLUMNS, collective, dn_info, dn_workbook, person
from openpyxl import Workbook, load_workbook

from docflow.config import load
from docflow.errors import IntakeError
from docflow.forms.read import read_form
from docflow.forms.write_xlsx import blank_form
from docflow.validation.validate import validate

CONFIG = load(Path(__file__).resolve().parent / "data" / "config.toml")
FORMS = CONFIG.forms


def read(path: Path, unit: str = "SNV"):
    return read_form(path, unit, FORMS)


def test_columns_in_any_order_under_a_header_that_is_not_on_row_1(tmp_path):
    columns = list(reversed(DN_COLUMNS))
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")],
                       columns=columns, header_row=4)
    sub = read(path)
    (row,) = sub.tables["Danh sách"]
    assert row.values["name"].value == "Nguyễn Văn An"
    assert row.values["name"].cell == f"{'ABCDEFGHIJKLM'[columns.index('name')]}5"
    assert validate(sub, FORMS["DN"], CONFIG).problems == ()


def test_extra_columns_are_kept_out_and_reported_as_ignored(tmp_path):
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"), [person("A")],
                       extra_columns={"Ghi chú nội bộ": ["x"]})
    sub = read(path)
    assert any("bỏ qua cột “Ghi chú nội bộ”" in note for note in sub.notes)


def test_blank_rows_and_rows_with_only_an_stt_are_skipped(tmp_path):
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"),
                       [person("A"), {}, {"stt": 3}, collective("Phòng B")])
    sub = read(path)
    assert [r.values["name"].value for r in sub.tables["Danh sách"]] == ["A", "Phòng B"]
    assert [r.row for r in sub.tables["Danh sách"]] == [2, 5]


def test_labels_match_in_nfd_with_old_tone_placement_case_and_required_marker(tmp_path):
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"), [person("A")])
    wb = load_workbook(path)
    ws = wb["Thông tin"]
    ws["A1"] = unicodedata.normalize("NFD", "MÃ ĐƠN VỊ *")
    ws["A7"] = "  Chức danh   thủ trưởng "
    wb["Danh sách"]["B1"] = unicodedata.normalize("NFD", "Loại *")
    wb.save(path)
    sub = read(path)
    assert sub.fields["unit_code"].value == "SNV"
    assert sub.fields["head_title"].value == "Giám đốc"
    assert validate(sub, FORMS["DN"], CONFIG).problems == ()


def test_nfd_values_are_stored_in_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"), [person(nfd, "Nữ")])
    record = validate(read(path), FORMS["DN"], CONFIG).record
    assert record.tables["Danh sách"][0]["name"] == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", record.tables["Danh sách"][0]["name"])


def test_a_workbook_without_the_hidden_sheet_is_recognised_by_its_sheet_names(tmp_path):
    path = dn_workbook(tmp_path / "a.xlsx", dn_info("SNV"), [person("A")], meta=False)
    assert read(path).kind == "DN"


def test_an_unknown_workbook_gets_a_clear_error(tmp_path):
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "la.xlsx")
    with pytest.raises(IntakeError, match="Không nhận ra biểu mẫu") as info:
        read(tmp_path / "la.xlsx")
    assert "“Danh sách”" in info.value.message_vi


@pytest.mark.parametrize("name, content, code", [
    ("hong.xlsx", b"PK\x03\x04 not really a zip", "intake.not_xlsx"),
    ("anh.xlsx", b"%PDF-1.4\n%", "intake.not_xlsx"),
    ("rong.xlsx", b"", "intake.not_xlsx"),
    ("macro.xlsm", b"PK\x03\x04", "intake.macro"),
    ("cu.csv", b"a,b", "intake.unsupported"),
])
def test_files_that_are_not_readable_forms_are_refused_with_a_reason(tmp_path, name, content,
                                                                       code):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(IntakeError) as info:
        read(tmp_path / name)
    assert info.value.code == code


def test_the_blank_form_filled_in_is_read_back(tmp_path):
    path = tmp_path / "DN.xlsx"
    path.write_bytes(blank_form(FORMS["DN"], tuple(a.name for a in CONFIG.awards)))
    wb = load_workbook(path)
    info = dn_info("SNV")
    ws = wb["Thông tin"]
    for row in range(1, ws.max_row + 1):
        label = ws.cell(row, 1).value.rstrip(" *")
        key = next(k for k, spec in ((f.key, f) for f in FORMS["DN"].sheets[0].fields)
                   if spec.label == label)
        ws.cell(row, 2, info[key])
    table = wb["Danh sách"]
    header = [c.value.rstrip(" *") for c in table[3]]
    values = person("Nguyễn Văn An")
    for col, label in enumerate(header, start=1):
        key = next(k for k, v in DN_COLUMNS.items() if v == label)
        table.cell(4, col, 1 if key == "stt" else values.get(key))
    wb.save(path)
    result = validate(read(path), FORMS["DN"], CONFIG)
    assert result.problems == ()
    assert result.record.tables["Danh sách"][0]["birth_date"] == dt.date(1980, 5, 17)


def test_the_blank_form_has_dropdowns_a_guide_and_the_hidden_sheet(tmp_path):
    path = tmp_path / "DN.xlsx"
    path.write_bytes(blank_form(FORMS["DN"], tuple(a.name for a in CONFIG.awards)))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "_docflow", "Thông tin", "Danh sách"]
    assert wb["_docflow"].sheet_state == "hidden"
    assert (wb["_docflow"]["A1"].value, wb["_docflow"]["A2"].value) == ("DN", 1)
    table = wb["Danh sách"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in table.data_validations.dataValidation}
    assert set(lists) == {"B4", "D4", "H4"}  # Loại, Giới tính, Hình thức đề nghị
    meta = wb["_docflow"]
    awards_ref = lists["H4"].split("!")[1].replace("$", "")
    awards = [c.value for row in meta[awards_ref] for c in row]
    assert awards == [a.name for a in CONFIG.awards] and CHAIRMAN in awards
    assert table["C3"].value == "Họ và tên / Tên tập thể *"
    assert "Khi đề nghị Bằng khen của Thủ tướng" in " ".join(
        str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
