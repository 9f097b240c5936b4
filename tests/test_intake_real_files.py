"""Workbooks as real offices save them: LibreOffice, merged cells, hidden rows, formulas, 1904 dates."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from builders import DN_COLUMNS, collective, dn_info, dn_workbook, person
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from docflow.config import load
from docflow.forms import read_xlsx
from docflow.forms.read import read_form
from docflow.pipeline import process_inbox_file
from docflow.validation.validate import validate

CONFIG = load(Path(__file__).resolve().parent / "data" / "config.toml")
FORM = CONFIG.forms["DN"]


def read_and_validate(path: Path):
    sub = read_form(path, "SNV", CONFIG.forms)
    return sub, validate(sub, FORM, CONFIG)


def libreoffice_resave(path: Path, tmp: Path) -> Path:
    out = tmp / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                    str(path)], check=True, capture_output=True, timeout=120)
    return out / path.name


def test_a_workbook_resaved_by_libreoffice_reads_the_same(tmp_path):
    original = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"),
                           [collective("Phòng Tổ chức cán bộ"), person("Nguyễn Thị Hoà", "Nữ")])
    resaved = libreoffice_resave(original, tmp_path)
    _, before = read_and_validate(original)
    _, after = read_and_validate(resaved)
    assert after.problems == ()
    assert after.record.fields == before.record.fields
    assert after.record.tables == before.record.tables


def test_a_formula_with_a_cached_value_is_read_as_its_value(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("A", initiatives=None)])
    wb = load_workbook(path)
    wb["Danh sách"]["J2"] = "=1+1"
    wb.save(path)
    resaved = libreoffice_resave(path, tmp_path)  # LibreOffice stores the computed value
    _, result = read_and_validate(resaved)
    assert result.problems == ()
    assert result.record.tables["Danh sách"][0]["initiatives"] == 2


def test_a_formula_never_calculated_is_an_error_naming_its_cell(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("A", initiatives=None)])
    wb = load_workbook(path)
    wb["Danh sách"]["J2"] = "=1+1"  # openpyxl writes formulas without cached values
    wb.save(path)
    _, result = read_and_validate(path)
    assert [(p.code, p.location) for p in result.problems] == [
        ("value.formula_uncached", "Danh sách!J2")]


@pytest.fixture(params=["openpyxl", "values"])
def reader(request, monkeypatch):
    """Both readers of a workbook: openpyxl's full load, and the values reader of long lists."""
    if request.param == "values":
        monkeypatch.setattr(read_xlsx, "STREAM_BYTES", 0)
    return request.param


def test_title_rows_merged_above_the_header_and_merged_value_cells(tmp_path, reader):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"),
                       [person("An", workplace="Phòng Tổ chức cán bộ"),
                        person("Bình", workplace=None, birth_date=dt.date(1985, 2, 3))],
                       header_row=3)
    wb = load_workbook(path)
    ws = wb["Danh sách"]
    ws["A1"] = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    ws.merge_cells("A1:M2")
    ws.merge_cells("G4:G5")  # one workplace typed once for two people
    wb.save(path)
    sub, result = read_and_validate(path)
    assert result.problems == ()
    assert [r["workplace"] for r in result.record.tables["Danh sách"]] == [
        "Phòng Tổ chức cán bộ", "Phòng Tổ chức cán bộ"]


def test_hidden_rows_are_read_and_the_receipt_says_so(tmp_path, reader):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"),
                       [person("An"), person("Bình", birth_date=dt.date(1985, 2, 3))])
    wb = load_workbook(path)
    wb["Danh sách"].row_dimensions[3].hidden = True
    wb.save(path)
    sub, result = read_and_validate(path)
    assert len(result.record.tables["Danh sách"]) == 2
    assert any("các dòng đang bị ẩn [3] vẫn được đọc" in n for n in sub.notes)


def test_dates_in_the_1904_system_and_as_serial_numbers(tmp_path):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("An")])
    wb = load_workbook(path)
    wb.epoch = CALENDAR_MAC_1904
    wb["Thông tin"]["B4"] = dt.date(2025, 11, 20)
    wb["Danh sách"]["E2"] = 27896  # 1904 serial of 17/05/1980, typed without a date format
    wb.save(path)
    sub, result = read_and_validate(path)
    assert sub.date1904
    assert result.problems == ()
    assert result.record.fields["proposal_date"] == dt.date(2025, 11, 20)
    assert result.record.tables["Danh sách"][0]["birth_date"] == dt.date(1980, 5, 17)


def test_a_sheet_whose_recorded_dimension_is_wrong_is_read_whole(tmp_path, monkeypatch):
    rows = [person(f"Người {i}", birth_date=dt.date(1980, 1, i)) for i in range(1, 6)]
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), rows)
    patched = tmp_path / "sai-kich-thuoc.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C2"', data)
            dst.writestr(item, data)
    monkeypatch.setattr(read_xlsx, "STREAM_BYTES", 0)  # the streaming reader trusts dimensions
    _, result = read_and_validate(patched)
    assert len(result.record.tables["Danh sách"]) == 5
    assert result.problems == ()


def test_a_long_list_that_compresses_small_is_read_for_its_values(tmp_path):
    wb = Workbook(write_only=True)
    table = wb.create_sheet("Danh sách")
    for i in range(4000):
        table.append([i + 1, "Tập thể", f"Tổ công tác số {i + 1}", "Sở Nội vụ", "Giấy khen"])
    path = tmp_path / "dai.xlsx"
    wb.save(path)
    assert path.stat().st_size < read_xlsx.STREAM_BYTES
    assert read_xlsx._long(path)
    assert not read_xlsx._long(dn_workbook(tmp_path / "ngan.xlsx", dn_info("SNV"), [person("An")]))


def test_a_list_of_50000_rows_is_read_in_streaming_mode(tmp_path):
    wb = Workbook(write_only=True)
    info = wb.create_sheet("Thông tin")
    for label, value in zip(("Mã đơn vị", "Tên đơn vị", "Số tờ trình", "Ngày tờ trình",
                             "Số biên bản họp Hội đồng", "Ngày họp Hội đồng",
                             "Chức danh thủ trưởng", "Người ký", "Chức vụ người ký"),
                            dn_info("SNV").values()):
        info.append([label, value])
    table = wb.create_sheet("Danh sách")
    table.append(list(DN_COLUMNS.values()))
    for i in range(50_000):
        table.append([i + 1, "Tập thể", f"Tổ công tác số {i + 1}", None, None, None, "Sở Nội vụ",
                      "Giấy khen", "Hoàn thành xuất sắc nhiệm vụ năm 2025.", 0, None, None, None])
    path = tmp_path / "lon.xlsx"
    wb.save(path)
    assert path.stat().st_size > read_xlsx.STREAM_BYTES
    sub, result = read_and_validate(path)
    assert len(sub.tables["Danh sách"]) == 50_000
    assert result.accepted
    assert result.record.tables["Danh sách"][-1]["name"] == "Tổ công tác số 50000"


@pytest.mark.parametrize("text, encoding", [("NguyÔn V¨n Hoµ", "TCVN3"),
                                            ("Nguyeãn Vaên Hoøa", "VNI")])
def test_text_typed_in_a_legacy_font_encoding_is_reported_not_stored(tmp_path, text, encoding):
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person(text)])
    _, result = read_and_validate(path)
    (problem,) = result.problems
    assert (problem.code, problem.location) == ("value.legacy_encoding", "Danh sách!C2")
    assert encoding in problem.message and "Unikey" in problem.expected


def test_an_nfd_file_name_is_stored_and_reported_in_nfc(ws):
    nfd = unicodedata.normalize("NFD", "đề-nghị-khen-thưởng.xlsx")
    dn_workbook(ws.inbox / "SNV" / nfd, dn_info("SNV"), [person("An")])
    outcome = process_inbox_file(ws.inbox / "SNV" / nfd, ws)
    assert outcome.status == "accepted"
    assert outcome.name == "đề-nghị-khen-thưởng.xlsx"
    (archived,) = ws.state("archive").rglob("*.xlsx")
    assert unicodedata.is_normalized("NFC", archived.name)


def test_columns_dropped_by_a_clerk_are_reported_as_missing_values(tmp_path):
    keys = [k for k in DN_COLUMNS if k not in ("gender", "birth_date")]
    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("An")], columns=keys)
    _, result = read_and_validate(path)
    assert {p.label for p in result.problems} == {"Giới tính", "Ngày sinh"}


@pytest.mark.parametrize("old", ["xls", "ods"])
def test_old_spreadsheet_formats_are_converted_by_libreoffice_then_read(tmp_path, old):
    source = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Thị Hoà", "Nữ")])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", old, "--outdir", str(tmp_path / "old"), str(source)],
                   check=True, capture_output=True, timeout=120)
    sub, result = read_and_validate(tmp_path / "old" / f"dn.{old}")
    assert result.problems == ()
    assert result.record.tables["Danh sách"][0]["name"] == "Nguyễn Thị Hoà"
    assert sub.file_name == f"dn.{old}"
    if old == "xls":
        assert "Tệp định dạng cũ .xls đã được chuyển sang .xlsx" in sub.notes[0]
    else:  # OpenDocument is a current format: the receipt does not call it old
        assert sub.notes[0] == ("Tệp định dạng OpenDocument .ods đã được chuyển sang .xlsx bằng "
                                "LibreOffice trước khi đọc.")
    assert (tmp_path / "old" / f"dn.{old}").exists()  # the original is kept
