"""Word forms in: the blank Word form, and .docx files as people really fill and save them."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx_builders import (BC_FIELDS, BC_HEADER, BC_LABELS, BC_ROWS, add, checkbox_control,
                           control, delete_row, deleted, document, el, fill_blank, inserted,
                           label_value_table, legacy_checkbox, legacy_text, list_table, mark,
                           moved_from, moved_to, para, qn, run, save, symbol_box, table,
                           text_control, wrap)
from openpyxl import Workbook

from docflow.config import load
from docflow.errors import IntakeError
from docflow.forms.read_docx import read_document
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.forms.write_docx import blank_word_form
from docflow.validation.validate import validate

CONFIG = load(Path(__file__).resolve().parent / "data" / "config.toml")  # the shipped config
FORMS = CONFIG.forms
BC = FORMS["BC"]
AWARDS = tuple(a.name for a in CONFIG.awards)


def read(path: Path, unit: str = "SNV"):
    return read_document(path, unit, FORMS)


def values(sub) -> dict:
    return {key: raw.value for key, raw in sub.fields.items()}


def rows(sub, sheet: str = "Kết quả") -> list[dict]:
    return [{k: v.value for k, v in r.values.items()} for r in sub.tables[sheet]]


def shown(item) -> str:
    """The text Word shows in a cell or paragraph, content controls included."""
    return "".join(t.text for t in item._element.iter(qn("w:t")))


def bc_document(fields: dict[str, str] | None = None, marked: bool = True):
    """A hand-made BC report: label/value tables and the list, no content controls."""
    doc = document()
    if marked:
        mark(doc, "docflow:BC:1")
    fields = {"shortcomings": "", "proposals": "", **(fields or BC_FIELDS)}
    assessment = ("highlights", "shortcomings", "proposals")
    label_value_table(doc, {k: v for k, v in fields.items() if k not in assessment})
    list_table(doc, BC_ROWS)
    label_value_table(doc, {k: fields[k] for k in assessment})
    return doc


@pytest.fixture
def blank() -> bytes:
    return blank_word_form(BC, AWARDS)


# --- the blank Word form -------------------------------------------------------------------------

def test_blank_form_has_a_control_per_field_tagged_with_its_key(blank):
    doc = Document(io.BytesIO(blank))
    sdts = {s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")): s.find(qn("w:sdtPr"))
            for s in doc.element.body.iter(qn("w:sdt"))
            if s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}") is not None}
    assert set(sdts) == {"docflow:BC:1"} | {f.key for s in BC.sheets if s.layout == "fields"
                                            for f in s.fields}
    unit_code = sdts["unit_code"]
    assert unit_code.find(qn("w:alias")).get(qn("w:val")) == "Mã đơn vị"
    assert unit_code.find(qn("w:showingPlcHdr")) is not None
    assert unit_code.find(qn("w:text")) is not None
    choices = [i.get(qn("w:displayText")) for i in sdts["period"].iter(qn("w:listItem"))]
    assert choices == ["Năm 2024", "Năm 2025", "Tổng kết"]
    date = sdts["report_date"].find(qn("w:date"))
    assert date.find(qn("w:dateFormat")).get(qn("w:val")) == "dd/MM/yyyy"
    assert date.find(qn("w:lid")).get(qn("w:val")) == "vi-VN"
    (custom,) = [p for p in doc.part.package.iter_parts() if p.partname == "/docProps/custom.xml"]
    assert b'name="docflow"><vt:lpwstr>docflow:BC:1</vt:lpwstr>' in custom.blob


def test_blank_form_shows_labels_prompts_and_a_list_with_ten_empty_rows(blank):
    doc = Document(io.BytesIO(blank))
    info, results, assessment = doc.tables
    assert [r.cells[0].text for r in info.rows][:3] == ["Mã đơn vị *", "Tên đơn vị *",
                                                        "Số ký hiệu báo cáo *"]
    # python-docx's cell.text skips content controls; the grey prompt is what Word shows there.
    assert shown(info.rows[0].cells[1]) == "Nhập mã đơn vị"
    assert shown(results.rows[1].cells[1]) == "Chọn"
    assert [c.text for c in results.rows[0].cells] == BC_HEADER
    assert len(results.rows) == 11
    assert [r.cells[0].text for r in assessment.rows] == ["Kết quả nổi bật *", "Tồn tại, hạn chế",
                                                          "Đề xuất, kiến nghị"]
    texts = [shown(p) for p in doc.paragraphs]
    assert "BIỂU MẪU BC — BÁO CÁO KẾT QUẢ" in texts
    assert {"I. THÔNG TIN", "II. KẾT QUẢ", "III. ĐÁNH GIÁ"} <= set(texts)


def test_blank_form_is_a4_with_nd30_margins_in_times_new_roman_13(blank):
    doc = Document(io.BytesIO(blank))
    section = doc.sections[0]
    millimetres = [round(x.mm) for x in (
        section.page_width, section.page_height, section.top_margin, section.bottom_margin,
        section.left_margin, section.right_margin)]
    assert millimetres == [210, 297, 20, 20, 30, 15]
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)


def test_blank_form_read_untouched_has_every_part_and_no_answer(tmp_path, blank):
    sub = read(save(Document(io.BytesIO(blank)), tmp_path / "bc.docx"))
    assert sub.kind == "BC"
    assert sub.sheets_found == ("Thông tin", "Kết quả", "Đánh giá")
    assert set(values(sub).values()) == {None}
    assert sub.tables["Kết quả"] == []


# --- the blank, filled and read back -------------------------------------------------------------

def test_filled_blank_reads_back_and_passes_validation(tmp_path, blank):
    path = save(fill_blank(blank, BC_FIELDS, BC_ROWS), tmp_path / "bao-cao.docx")
    sub = read(path)
    assert values(sub) == {**BC_FIELDS, "report_date": "15/12/2025", "shortcomings": None,
                           "proposals": None}
    assert rows(sub) == [{**BC_ROWS[0], "note": None}, BC_ROWS[1]]
    assert sub.counts == (("Phần “Kết quả”: số dòng dữ liệu", 2),
                          ("Phần “Thông tin”: số mục đã đọc", 8),
                          ("Phần “Đánh giá”: số mục đã đọc", 3))
    assert sub.notes == ()
    result = validate(sub, BC, CONFIG)
    assert result.problems == ()
    assert result.record.fields["report_date"] == dt.date(2025, 12, 15)
    assert result.record.period == "Năm 2025"


def test_locations_say_table_row_and_column_as_a_clerk_counts_them(tmp_path, blank):
    rows_ = [{**BC_ROWS[0]}, {**BC_ROWS[1], "achieved": "nhiều"}]
    sub = read(save(fill_blank(blank, BC_FIELDS, rows_), tmp_path / "bc.docx"))
    assert sub.fields["report_date"].sheet == "Thông tin"
    assert sub.fields["report_date"].cell == "Bảng 1, dòng 4, cột 2"
    (problem,) = validate(sub, BC, CONFIG).problems
    assert (problem.sheet, problem.cell, problem.found) == ("Kết quả", "Bảng 2, dòng 3, cột 4",
                                                            "nhiều")


def test_placeholder_only_controls_count_as_empty(tmp_path, blank):
    path = save(fill_blank(blank, {k: v for k, v in BC_FIELDS.items() if k != "signer"}, BC_ROWS),
                tmp_path / "bc.docx")
    sub = read(path)
    assert sub.fields["signer"].value is None
    (problem,) = validate(sub, BC, CONFIG).problems
    assert (problem.code, problem.label, problem.cell) == ("value.required", "Người ký",
                                                           "Bảng 1, dòng 7, cột 2")


def test_filled_blank_survives_a_libreoffice_save(tmp_path, blank):
    original = save(fill_blank(blank, BC_FIELDS, BC_ROWS), tmp_path / "bc.docx")
    untouched = tmp_path / "trong.docx"
    untouched.write_bytes(blank)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(original),
                    str(untouched)], check=True, capture_output=True, timeout=180)
    before, after = read(original), read(out / "bc.docx")
    assert after.kind == "BC"
    assert values(after) == values(before)
    assert rows(after) == rows(before)
    assert after.sheets_found == before.sheets_found
    assert validate(after, BC, CONFIG).problems == ()
    # LibreOffice drops the tags and the "showing placeholder" flag; the grey prompts it then
    # keeps as ordinary text are still no answer.
    assert set(values(read(out / "trong.docx")).values()) == {None}


# --- content controls in every nesting -----------------------------------------------------------

def _block(doc):
    add(doc, control(para("SNV"), tag="unit_code"))


def _inline(doc):
    add(doc, para("Mã đơn vị của báo cáo: ", text_control("unit_code", "SNV"), "."))


def _in_cell(doc):
    table(doc, [["Đơn vị gửi", [text_control("unit_code", "SNV")]]])


def _cell_level(doc):
    tbl = table(doc, [["Đơn vị gửi", "SNV"]])
    wrap(tbl.rows[0].cells[1]._tc, tag="unit_code")


def _row_level(doc):
    tbl = table(doc, [["Mã đơn vị", "SNV"]])
    wrap(tbl.rows[0]._tr, tag="unit_code")


def _row_group_around_label_row(doc):
    tbl = table(doc, [["Tên đơn vị", "Sở Nội vụ"], ["Mã đơn vị", "SNV"]])
    wrap(tbl.rows[1]._tr, alias="Nhóm thông tin")


def _aliased_only(doc):
    add(doc, para(control(run("SNV"), alias="Mã đơn vị *")))


@pytest.mark.parametrize("build", [_block, _inline, _in_cell, _cell_level, _row_level,
                                   _row_group_around_label_row, _aliased_only])
def test_content_control_is_found_in_every_nesting(tmp_path, build):
    doc = document()
    mark(doc, "docflow:BC:1")
    build(doc)
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert sub.fields["unit_code"].value == "SNV"
    assert sub.fields["unit_code"].sheet == "Thông tin"
    assert sub.notes == ()


def test_control_outside_tables_is_located_by_its_title(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    add(doc, control(para("SNV"), tag="unit_code", alias="Mã đơn vị"))
    assert read(save(doc, tmp_path / "bc.docx")).fields["unit_code"].cell == "ô “Mã đơn vị”"


@pytest.mark.parametrize("text, expected", [
    ("16/12/2025", "16/12/2025"),  # what the clerk sees wins over what Word stored
    ("thứ Hai, 15 tháng 12", dt.date(2025, 12, 15)),  # a date picker showing a long format
    ("31/02/2025", "31/02/2025"),  # an impossible date stays, to be reported with its cell
])
def test_date_picker_shows_a_date_or_falls_back_to_the_date_it_stored(tmp_path, text, expected):
    doc = document()
    mark(doc, "docflow:BC:1")
    picker = el("w:date", {"w:fullDate": "2025-12-15T00:00:00Z"})
    add(doc, para(control(run(text), tag="report_date", kind=picker)))
    assert read(save(doc, tmp_path / "bc.docx")).fields["report_date"].value == expected


# --- legacy form fields --------------------------------------------------------------------------

def test_legacy_text_fields_are_read_by_bookmark_name(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    add(doc, para("Số: ", *legacy_text("report_number", "30/", "BC-", "SNV")),
        para("Người ký: ", *legacy_text("Signer", "Nguyễn Văn An")),
        para("Chức vụ: ", *legacy_text("signer_title")))
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == {"report_number": "30/BC-SNV", "signer": "Nguyễn Văn An",
                           "signer_title": None}
    assert sub.fields["signer"].cell == "ô “Người ký”"


def test_legacy_field_in_a_table_cell_is_located_by_its_cell(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    table(doc, [["Số báo cáo", legacy_text("report_number", "30/BC-SNV")]])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert sub.fields["report_number"].value == "30/BC-SNV"
    assert sub.fields["report_number"].cell == "Bảng 1, dòng 1, cột 2"


def test_legacy_drop_down_shows_its_chosen_entry(tmp_path):
    drop = el("w:ddList", None, el("w:result", {"w:val": "1"}),
              *(el("w:listEntry", {"w:val": v}) for v in ("Năm 2024", "Năm 2025", "Tổng kết")))
    ff = el("w:ffData", None, el("w:name", {"w:val": "period"}), el("w:enabled"), drop)
    doc = document()
    mark(doc, "docflow:BC:1")
    add(doc, para(el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"}, ff)),
                  el("w:r", None, el("w:instrText", None, text=" FORMDROPDOWN ")),
                  el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))))
    assert read(save(doc, tmp_path / "bc.docx")).fields["period"].value == "Năm 2025"


# --- checkboxes in every spelling ----------------------------------------------------------------

ON_OFF = [
    ("legacy w:checked", lambda: legacy_checkbox(checked=""), lambda: legacy_checkbox()),
    ("legacy w:checked w:val", lambda: legacy_checkbox(checked="1"),
     lambda: legacy_checkbox(checked="0", default="1")),
    ("legacy w:default", lambda: legacy_checkbox(default="1"),
     lambda: legacy_checkbox(default="0")),
    ("w14 val 1/0", lambda: [checkbox_control("1", "☒")], lambda: [checkbox_control("0", "☐")]),
    ("w14 val true/false", lambda: [checkbox_control("true", "☒")],
     lambda: [checkbox_control("false", "☐")]),
    ("w14 without w14:checked", lambda: [checkbox_control("1", "☒")],
     lambda: [checkbox_control(None, "☐")]),
    ("control showing the glyph", lambda: [control(run("☒"))], lambda: [control(run("☐"))]),
    ("Wingdings symbol", lambda: [symbol_box(True)], lambda: [symbol_box(False)]),
]


@pytest.mark.parametrize("spelling, ticked, unticked", ON_OFF, ids=[s[0] for s in ON_OFF])
def test_checkbox_list_gives_the_ticked_choice(tmp_path, spelling, ticked, unticked):
    cell = [*unticked(), run(" Năm 2024  "), *ticked(), run(" Năm 2025  "), *unticked(),
            run(" Tổng kết")]
    doc = document()
    mark(doc, "docflow:BC:1")
    table(doc, [["Kỳ báo cáo", cell]])
    assert read(save(doc, tmp_path / "bc.docx")).fields["period"].value == "Năm 2025"


def test_checkbox_after_its_label_counts_too(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    table(doc, [["Kỳ báo cáo", ["Năm 2024 ", checkbox_control("0", "☐"), " Tổng kết ",
                                checkbox_control("1", "☒")]]])
    assert read(save(doc, tmp_path / "bc.docx")).fields["period"].value == "Tổng kết"


@pytest.mark.parametrize("box, expected", [
    (lambda: legacy_checkbox(checked="", name="note"), True),
    (lambda: legacy_checkbox(default="0", name="note"), False),
    (lambda: [checkbox_control("1", "☒", tag="note")], True),
    (lambda: [checkbox_control("0", "☐", tag="note")], False),
])
def test_a_lone_checkbox_named_for_a_field_is_yes_or_no(tmp_path, box, expected):
    spec = FormSpec("BC", BC.title, (SheetSpec("Thông tin", "fields",
                                               (FieldSpec("note", "Đã kiểm tra"),)),))
    doc = document()
    mark(doc, "docflow:BC:1")
    add(doc, para("Đã kiểm tra: ", *box()))
    sub = read_document(save(doc, tmp_path / "bc.docx"), "SNV", {"BC": spec})
    assert sub.fields["note"].value is expected


# --- tracked changes -----------------------------------------------------------------------------

def test_tracked_insertions_are_kept_and_deletions_dropped(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    table(doc, [
        ["Người ký", [run("Nguyễn "), deleted("Văn "), inserted("Thị "), run("Hoà")]],
        ["Chức vụ người ký", [moved_from("Giám đốc"), moved_to("Phó Giám đốc")]],
        ["Số ký hiệu báo cáo", [text_control("report_number", "30/BC-SNV"), deleted("31/BC")]],
    ])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == {"report_number": "30/BC-SNV", "signer": "Nguyễn Thị Hoà",
                           "signer_title": "Phó Giám đốc"}


def test_a_row_deleted_with_track_changes_is_not_read(tmp_path):
    doc = bc_document()
    listing = doc.tables[1]
    delete_row(listing.rows[1])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert [r["indicator"] for r in rows(sub)] == ["Số lượt người tham gia"]


# --- label/value tables and lists without any content control ------------------------------------

def test_label_value_table_without_controls_passes_validation(tmp_path):
    sub = read(save(bc_document(), tmp_path / "bc.docx"))
    assert values(sub) == {**BC_FIELDS, "shortcomings": None, "proposals": None}
    assert validate(sub, BC, CONFIG).problems == ()


def test_labels_match_in_any_order_case_spacing_stars_and_colons_aside(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    table(doc, [["NGƯỜI  KÝ *", "Trần Văn Bình"], ["Ghi chú riêng", "không thuộc biểu mẫu"],
                ["Mã   đơn vị:", "SNV"], ["Chức vụ người ký", ""]])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == {"unit_code": "SNV", "signer": "Trần Văn Bình", "signer_title": None}
    assert sub.notes == ("Bảng 1: bỏ qua dòng “Ghi chú riêng” (không có trong biểu mẫu).",)


def test_named_controls_the_form_does_not_have_are_noted(tmp_path):
    doc = bc_document()
    add(doc, para("Fax: ", text_control("fax", "0208 3855 123", alias="Số fax")),
        para(text_control("fax_2", "", alias="Số fax dự phòng", placeholder=True)))
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert sub.notes == ("Bỏ qua ô nhập “Số fax” (không có trong biểu mẫu).",)


def test_label_and_value_on_one_line_or_in_the_row_below(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    add(doc, para("Mã đơn vị: SNV"))
    table(doc, [["Kết quả nổi bật"], ["Hoàn thành mọi chỉ tiêu."]])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == {"unit_code": "SNV", "highlights": "Hoàn thành mọi chỉ tiêu."}
    assert sub.fields["unit_code"].cell == "đoạn “Mã đơn vị: …”"
    assert sub.sheets_found == ("Thông tin", "Đánh giá")


def test_list_columns_in_any_order_extra_columns_noted_blank_rows_skipped(tmp_path):
    doc = document()
    mark(doc, "docflow:BC:1")
    list_table(doc, [{"achieved": "12", "indicator": "Số tin, bài tuyên truyền", "stt": "1"},
                     {},
                     {"stt": "3"},
                     {"achieved": "4", "indicator": "Số tập thể được khen thưởng", "extra": "x"}],
               header=["Thực hiện", "Đơn vị phối hợp", "Chỉ tiêu", "STT"],
               keys=("achieved", "extra", "indicator", "stt"))
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert rows(sub) == [
        {"achieved": "12", "indicator": "Số tin, bài tuyên truyền", "stt": "1"},
        {"achieved": "4", "indicator": "Số tập thể được khen thưởng", "stt": None}]
    assert [r.row for r in sub.tables["Kết quả"]] == [2, 5]
    assert sub.tables["Kết quả"][1].values["indicator"].cell == "Bảng 1, dòng 5, cột 3"
    assert sub.notes == ("Bảng 1 (phần “Kết quả”): bỏ qua cột “Đơn vị phối hợp” (không có trong "
                         "biểu mẫu).",)


def test_fields_and_list_in_one_table_as_word_merges_adjacent_tables(tmp_path):
    keys = ("stt", "indicator", "planned", "achieved", "note")
    doc = document()
    table(doc, [[BC_LABELS[k], v] for k, v in BC_FIELDS.items()]
          + [BC_HEADER] + [[r[k] for k in keys] for r in BC_ROWS])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == BC_FIELDS
    assert [r.row for r in sub.tables["Kết quả"]] == [11, 12]


def test_nfd_text_is_read_as_nfc(tmp_path):
    nfd = {k: unicodedata.normalize("NFD", v) for k, v in BC_FIELDS.items()}
    doc = document()
    mark(doc, "docflow:BC:1")
    label_value_table(doc, nfd, {k: unicodedata.normalize("NFD", v) for k, v in BC_LABELS.items()})
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert values(sub) == BC_FIELDS
    assert all(unicodedata.is_normalized("NFC", v) for v in values(sub).values())


# --- which form, and files that are not forms ----------------------------------------------------

def test_form_without_mark_is_recognised_by_its_labels(tmp_path):
    sub = read(save(bc_document(marked=False), tmp_path / "bc.docx"))
    assert sub.kind == "BC"
    assert validate(sub, BC, CONFIG).problems == ()


def test_the_mark_on_the_title_control_is_enough(tmp_path):
    doc = document()
    add(doc, para(control(run("BIỂU MẪU BC"), tag="docflow:BC:1")))
    table(doc, [["Mã đơn vị", "SNV"]])
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert (sub.kind, values(sub), sub.notes) == ("BC", {"unit_code": "SNV"}, ())


def test_an_older_form_version_is_read_and_noted(tmp_path):
    doc = bc_document(marked=False)
    mark(doc, "docflow:BC:0")
    sub = read(save(doc, tmp_path / "bc.docx"))
    assert sub.kind == "BC"
    assert sub.notes == ("Tệp dùng biểu mẫu BC phiên bản 0; phiên bản hiện hành là 1. "
                         "Lần sau hãy dùng biểu mẫu mới.",)


def test_a_word_file_that_is_not_a_form_is_refused_saying_what_is_expected(tmp_path):
    doc = document()
    add(doc, para("Kính gửi: Ban Thi đua - Khen thưởng"), para("Đơn vị xin gửi báo cáo."))
    with pytest.raises(IntakeError) as err:
        read(save(doc, tmp_path / "thu.docx"))
    assert err.value.code == "intake.unknown_form"
    expected = "BC (Báo cáo kết quả): các phần “Thông tin”, “Kết quả”, “Đánh giá”"
    assert expected in err.value.message_vi


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 not really a zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    b"",
])
def test_a_corrupt_file_is_refused_with_what_to_send_instead(tmp_path, content):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(content)
    with pytest.raises(IntakeError) as err:
        read(path)
    assert err.value.code == "intake.not_docx"
    assert "Word Document (.docx)" in err.value.message_vi


def test_a_workbook_renamed_docx_is_refused(tmp_path):
    path = tmp_path / "bao-cao.docx"
    Workbook().save(path)
    with pytest.raises(IntakeError) as err:
        read(path)
    assert err.value.code == "intake.not_docx"
