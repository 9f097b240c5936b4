"""An administrator changes a form in config.toml; blank form, intake and validation follow."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from builders import dn_info, dn_workbook, person, workspace
from openpyxl import load_workbook

from docflow.config import load
from docflow.forms.read import read_form
from docflow.forms.write_docx import blank_word_form
from docflow.forms.write_xlsx import blank_form
from docflow.validation.validate import validate

NEW_COLUMN = ('  { key = "zalo", label = "Số Zalo liên hệ", type = "text", required = true, '
              "pattern = '^0[0-9]{9}$', pattern_hint = \"10 chữ số, bắt đầu bằng 0\" },\n")


def config_with_new_column(tmp_path: Path):
    path = workspace(tmp_path)
    text = path.read_text("utf-8")
    anchor = '  { key = "report_file"'
    path.write_text(text.replace(anchor, NEW_COLUMN + anchor, 1), encoding="utf-8")
    return load(path)


def test_a_column_the_code_never_heard_of_reaches_blank_form_intake_and_validation(tmp_path):
    config = config_with_new_column(tmp_path)
    form = config.forms["DN"]
    blank = load_workbook(io.BytesIO(blank_form(form, tuple(a.name for a in config.awards))))
    assert "Số Zalo liên hệ *" in [c.value for c in blank["Danh sách"][3]]

    path = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("An"), person("Bình")],
                       extra_columns={"Số Zalo liên hệ": ["0912345678", "12345"]})
    sub = read_form(path, "SNV", config.forms)
    assert not any("Zalo" in note for note in sub.notes)  # a known column now, not ignored
    result = validate(sub, form, config)
    assert [(p.code, p.location, p.expected) for p in result.problems] == [
        ("value.pattern", "Danh sách!N3", "10 chữ số, bắt đầu bằng 0")]
    assert result.record.tables["Danh sách"][0]["zalo"] == "0912345678"


def test_a_choice_added_in_config_appears_in_the_dropdown_and_is_accepted(tmp_path):
    path = workspace(tmp_path)
    text = path.read_text("utf-8").replace('choices = ["Nam", "Nữ"]', 'choices = ["Nam", "Nữ", "Khác"]')
    path.write_text(text, encoding="utf-8")
    config = load(path)
    blank = load_workbook(io.BytesIO(blank_form(config.forms["DN"], ())))
    assert "Khác" in [c.value for c in blank["_docflow"]["D"]]
    book = dn_workbook(tmp_path / "dn.xlsx", dn_info("SNV"), [person("An", gender="Khác")])
    assert validate(read_form(book, "SNV", config.forms), config.forms["DN"], config).problems == ()


@pytest.mark.parametrize("old", ["doc", "odt"])
def test_old_word_formats_are_converted_then_read(tmp_path, old):
    from docx_builders import fill_blank
    from test_read_docx import BC_FIELDS, BC_ROWS

    config = load(workspace(tmp_path))
    blank = blank_word_form(config.forms["BC"], ())
    source = tmp_path / "bc.docx"
    fill_blank(blank, BC_FIELDS, BC_ROWS).save(str(source))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", old, "--outdir", str(tmp_path / "old"), str(source)],
                   check=True, capture_output=True, timeout=120)
    sub = read_form(tmp_path / "old" / f"bc.{old}", "SNV", config.forms)
    assert sub.kind == "BC" and sub.file_name == f"bc.{old}"
    kind = "cũ" if old == "doc" else "OpenDocument"  # .odt is current, not an old format
    assert re.search(rf"Tệp định dạng {kind} \.{old} đã được chuyển sang \.docx", sub.notes[0])
    assert sub.fields["report_number"].value == "30/BC-SNV"
    assert len(sub.tables["Kết quả"]) == len(BC_ROWS)
    if old == "odt":
        assert validate(sub, config.forms["BC"], config).problems == ()
    # LibreOffice's own .doc export of our blank flattens the last table (“Đánh giá”) into
    # plain paragraphs; a .doc saved by Word keeps it. That part is then reported missing.
