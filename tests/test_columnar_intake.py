"""A list is read and checked column by column; what a clerk reads about it stays cell-exact."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from builders import collective, dn_info, dn_workbook, person

from docflow.config import load
from docflow.forms import xlsx_formulas
from docflow.forms.read import read_form
from docflow.models import RawRow, Submission, Table
from docflow.validation.validate import validate

CONFIG = load(Path(__file__).resolve().parent / "data" / "config.toml")
FORM = CONFIG.forms["DN"]


def faulty_rows() -> list[dict]:
    """The same wrong values on several rows, and one wrong value of its own."""
    return [person("Nguyễn Văn An", gender="Namm"),
            collective("Phòng Kế hoạch", gender="Nam"),       # a collective has no gender
            person("Lê Thị Bình", gender="Namm", birth_date="31/02/1980"),
            person("Trần Văn Cường", gender="Namm", award="Cờ thi đua xuất sắc"),
            person("Phạm Thị Dung", birth_date=dt.date(1930, 1, 1))]


def as_plain_rows(sub: Submission) -> Submission:
    """The same submission with its table as plain RawRows of RawValues (the Word reader's way)."""
    tables = {name: [RawRow(r.sheet, r.row, dict(r.values)) for r in rows]
              for name, rows in sub.tables.items()}
    return Submission(sub.kind, sub.unit_folder, sub.file_name, sub.fields, tables, sub.notes,
                      sub.problems, sub.counts, sub.date1904, sub.sheets_found)


def test_a_list_is_kept_by_column_and_reads_as_rows_of_cells(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"),
                       [person("Nguyễn Văn An"), collective("Phòng Kế hoạch")])
    table = read_form(path, "SNV", CONFIG.forms).tables["Danh sách"]
    assert isinstance(table, Table)
    assert table.columns["name"] == ["Nguyễn Văn An", "Phòng Kế hoạch"]
    first, second = table
    assert (second.row, second.values["name"].cell, second.values["name"].value) == \
        (3, "C3", "Phòng Kế hoạch")
    assert first.values["gender"].cell == "D2" and second.values["gender"].value is None
    assert table.by_number()[3].values["kind"].value == "Tập thể"
    assert 4 not in table.by_number()


def test_a_value_wrong_on_several_rows_is_reported_on_each_of_its_cells(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), faulty_rows())
    result = validate(read_form(path, "SNV", CONFIG.forms), FORM, CONFIG)
    wrong_gender = [(p.location, p.found) for p in result.problems
                    if p.code == "value.choice" and p.label == "Giới tính"]
    assert wrong_gender == [("Danh sách!D2", "Namm"), ("Danh sách!D4", "Namm"),
                            ("Danh sách!D5", "Namm")]


def test_checking_by_column_finds_exactly_what_checking_cell_by_cell_finds(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), faulty_rows())
    sub = read_form(path, "SNV", CONFIG.forms)
    by_column = validate(sub, FORM, CONFIG)
    by_cell = validate(as_plain_rows(sub), FORM, CONFIG)
    assert by_column.problems == by_cell.problems
    assert {p.code for p in by_column.problems} >= {"value.choice", "value.must_be_empty",
                                                     "value.impossible_date", "value.age"}
    assert by_column.record == by_cell.record


def test_an_uncalculated_formula_is_found_even_across_the_reading_chunks(tmp_path, monkeypatch):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"),
                       [person(f"Người số {i}") for i in range(1, 40)])
    sheet = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts[sheet].decode()
    xml = xml.replace('<c r="J30" t="n"><v>1</v></c>', '<c r="J30"><f>SUM(1,2)</f></c>')
    assert '<c r="J30"><f>' in xml
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    for chunk in (7, 64, 1 << 20):  # a `<c …>` cut anywhere between two reads
        monkeypatch.setattr(xlsx_formulas, "CHUNK", chunk)
        assert xlsx_formulas.uncached_formulas(path) == {"Danh sách": ["J30"]}
