"""Validation of a DN submission: each rule kind has a passing and a failing case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import DN_COLUMNS, DN_INFO_LABELS, collective, dn_info, person
from openpyxl.utils import get_column_letter

from docflow.config import load
from docflow.models import RawRow, RawValue, Submission
from docflow.validation.validate import validate

CONFIG = load(Path(__file__).resolve().parent / "data" / "config.toml")
FORM = CONFIG.forms["DN"]


def submission(info: dict, rows: list[dict], folder: str = "SNV") -> Submission:
    """A DN submission as intake would produce it, cells laid out as in the blank form."""
    fields = {k: RawValue(v, "Thông tin", f"B{i}", i)
              for i, (k, v) in enumerate(info.items(), start=1)}
    cols = list(DN_COLUMNS)
    table = [RawRow("Danh sách", r, {k: RawValue(row.get(k), "Danh sách",
                                                 f"{get_column_letter(cols.index(k) + 1)}{r}", r)
                                     for k in cols})
             for r, row in enumerate(rows, start=2)]
    return Submission("DN", folder, "x.xlsx", fields, {"Danh sách": table},
                      sheets_found=("Thông tin", "Danh sách"))


def problems(info=None, rows=None, folder="SNV") -> list[tuple[str, str]]:
    result = validate(submission(info or dn_info("SNV"), rows or [person("Nguyễn Văn An")],
                                 folder), FORM, CONFIG)
    return [(p.code, p.location) for p in result.problems]


def test_a_valid_submission_has_no_problem_and_typed_values():
    result = validate(submission(dn_info("SNV"), [collective("Phòng A"), person("Lê B")]),
                      FORM, CONFIG)
    assert result.problems == ()
    assert result.record.fields["proposal_date"] == dt.date(2025, 11, 20)
    assert result.record.tables["Danh sách"][1]["initiatives"] == 1
    assert result.record.tables["Danh sách"][0]["initiatives"] == 0


@pytest.mark.parametrize("info_change, expected", [
    ({"signer": None}, ("value.required", "Thông tin!B8")),
    ({"signer": "   "}, ("value.required", "Thông tin!B8")),
    ({"proposal_date": "hôm qua"}, ("value.type", "Thông tin!B4")),
    ({"proposal_date": "30/02/2025"}, ("value.impossible_date", "Thông tin!B4")),
    ({"proposal_date": dt.date(2023, 12, 31)}, ("value.period", "Thông tin!B4")),
    ({"proposal_date": dt.date(2026, 1, 7)}, ("value.period", "Thông tin!B4")),
    ({"proposal_number": "TTr 12"}, ("value.pattern", "Thông tin!B3")),
    ({"council_date": dt.date(2025, 11, 21)}, ("value.order", "Thông tin!B6")),
    ({"unit_code": "SYT", "unit_name": "Sở Y tế"}, ("unit.folder_mismatch", "Thông tin!B1")),
    ({"unit_code": "XYZ"}, ("unit.unknown", "Thông tin!B1")),
    ({"unit_name": "Sở Nội Vụ tỉnh"}, ("unit.name_mismatch", "Thông tin!B2")),
])
def test_information_sheet_rules_fail_with_the_cell(info_change, expected):
    assert expected in problems(info=dn_info("SNV", **info_change))


@pytest.mark.parametrize("info_change", [
    {"proposal_date": "20/11/2025"}, {"proposal_date": "20-11-2025"},
    {"proposal_date": "20.11.2025"}, {"proposal_date": "2025-11-20"},
    {"proposal_date": 45981},  # Excel serial of 20/11/2025
    {"proposal_number": "125/TTr-SGDĐT"}, {"unit_name": "sở  nội vụ"},
    {"council_date": dt.date(2025, 11, 20)},
])
def test_information_sheet_accepts_what_clerks_really_type(info_change):
    assert problems(info=dn_info("SNV", **info_change)) == []


@pytest.mark.parametrize("row, expected", [
    (person("A", kind="Nhóm"), ("value.choice", "Danh sách!B2")),
    (person(None), ("value.required", "Danh sách!C2")),
    (person("A", gender=None), ("value.required", "Danh sách!D2")),
    (collective("Phòng A", gender="Nam"), ("value.must_be_empty", "Danh sách!D2")),
    (person("A", birth_date=dt.date(2010, 1, 1)), ("value.age", "Danh sách!E2")),
    (person("A", birth_date=dt.date(1950, 1, 1)), ("value.age", "Danh sách!E2")),
    (person("A", position=""), ("value.required", "Danh sách!F2")),
    (person("A", award="Huân chương"), ("value.choice", "Danh sách!H2")),
    (person("A", achievements="Quá ngắn"), ("value.length", "Danh sách!I2")),
    (person("A", initiatives=-1), ("value.range", "Danh sách!J2")),
    (person("A", initiatives="hai"), ("value.type", "Danh sách!J2")),
    (person("A", initiatives=1.5), ("value.type", "Danh sách!J2")),
    (person("A", award_year=2026), ("value.order", "Danh sách!L2")),
    (person("A", award="Bằng khen của Thủ tướng Chính phủ"), ("value.required", "Danh sách!M2")),
    (person("A", award="Bằng khen của Thủ tướng Chính phủ", report_file="bao-cao.docx"),
     ("value.pattern", "Danh sách!M2")),
])
def test_list_rules_fail_with_the_cell(row, expected):
    assert expected in problems(rows=[row])


@pytest.mark.parametrize("row", [
    person("A", gender="nữ"), person("A", kind="cá nhân"), collective("Phòng A"),
    person("A", birth_date="05/01/1990"), person("A", initiatives="2"),
    person("A", award_year=2025), person("A", award="bằng khen của chủ tịch ubnd tỉnh"),
    person("A", award="Bằng khen của Thủ tướng Chính phủ", report_file="Bao cao A.PDF"),
])
def test_list_accepts_what_clerks_really_type(row):
    assert problems(rows=[row]) == []


def test_an_empty_list_is_an_error_on_the_sheet():
    result = validate(submission(dn_info("SNV"), []), FORM, CONFIG)
    assert [(p.code, p.sheet) for p in result.problems] == [("table.too_few_rows", "Danh sách")]


def test_a_unit_no_longer_existing_on_the_document_date_is_refused():
    info = dn_info("UBND-DAITU", unit_name="Ủy ban nhân dân huyện Đại Từ", head_title="Chủ tịch")
    assert ("unit.not_valid", "Thông tin!B4") in problems(info=info, folder="UBND-DAITU")
    info["proposal_date"] = dt.date(2025, 6, 20)
    info["council_date"] = dt.date(2025, 6, 18)
    assert problems(info=info, folder="UBND-DAITU") == []


def test_problems_come_sorted_as_the_clerk_reads_the_file():
    rows = [person("A", gender=None, achievements="ngắn"), collective("B", gender="Nữ")]
    found = problems(info=dn_info("SNV", signer=None), rows=rows)
    assert [loc for _, loc in found] == ["Thông tin!B8", "Danh sách!D2", "Danh sách!I2",
                                         "Danh sách!D3"]


def test_each_problem_says_what_was_found_and_what_is_expected():
    result = validate(submission(dn_info("SNV"), [person("A", gender="X")]), FORM, CONFIG)
    (p,) = result.problems
    assert (p.label, p.found, p.expected) == ("Giới tính", "X", "một trong: “Nam”; “Nữ”")
    assert p.message == "“Giới tính” không hợp lệ."  # the value is shown in its own column
    assert p.found == "X"


def test_a_missing_label_row_is_reported_with_the_label_to_add():
    info = dn_info("SNV")
    del info["signer"]
    result = validate(submission(info, [person("A")]), FORM, CONFIG)
    assert [(p.code, p.label) for p in result.problems] == [("field.missing_label", "Người ký")]
    assert DN_INFO_LABELS["signer"] in result.problems[0].expected
