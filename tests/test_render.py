"""Rendering cannot be broken by data, and follows the template file as it is edited."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from docx import Document
from test_templates import sample_context

from docflow.errors import TemplateError
from docflow.documents.render import Renderer

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
NASTY = "{{ 7*7 }} {% for x in y %} <w:p> & ]]> \x00\x07\x1f “ngoặc”"


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_submitted_values_appear_literally_never_evaluated(tmp_path):
    context = sample_context("phieu-tiep-nhan.docx") | {"intro": NASTY}
    text = text_of(Renderer(TEMPLATES).render("phieu-tiep-nhan.docx", context))
    assert "{{ 7*7 }} {% for x in y %} <w:p> & ]]>  “ngoặc”" in text
    assert "49" not in text


def test_a_template_edited_on_disk_is_used_at_the_next_render(tmp_path):
    shutil.copy(TEMPLATES / "phieu-tiep-nhan.docx", tmp_path / "phieu-tiep-nhan.docx")
    renderer = Renderer(tmp_path)
    context = sample_context("phieu-tiep-nhan.docx")
    before = renderer.template_hash("phieu-tiep-nhan.docx")
    assert "Ghi chú mới" not in text_of(renderer.render("phieu-tiep-nhan.docx", context))
    doc = Document(str(tmp_path / "phieu-tiep-nhan.docx"))
    doc.add_paragraph("Ghi chú mới")
    doc.save(str(tmp_path / "phieu-tiep-nhan.docx"))
    os.utime(tmp_path / "phieu-tiep-nhan.docx", ns=(1, 1))  # even a same-second save is seen
    assert "Ghi chú mới" in text_of(renderer.render("phieu-tiep-nhan.docx", context))
    assert renderer.template_hash("phieu-tiep-nhan.docx") != before


def test_a_missing_template_or_variable_is_a_template_error_naming_it(tmp_path):
    with pytest.raises(TemplateError, match="Thiếu mẫu Word .*khong-co.docx"):
        Renderer(TEMPLATES).render("khong-co.docx", {})
    with pytest.raises(TemplateError, match="phieu-tiep-nhan.docx dùng biến intro nhưng docflow"):
        context = sample_context("phieu-tiep-nhan.docx")
        del context["intro"]
        Renderer(TEMPLATES).render("phieu-tiep-nhan.docx", context)


def test_a_misspelt_variable_is_named_with_the_closest_one_and_the_list_of_usable_ones(tmp_path):
    doc = Document()
    doc.add_paragraph("Kính gửi: {{ ten_don_vi_typo }}")
    doc.save(str(tmp_path / "mau.docx"))
    with pytest.raises(TemplateError) as info:
        Renderer(tmp_path).render("mau.docx", {"ten_don_vi": "Sở Nội vụ", "ngay": "01/12/2025"})
    assert str(info.value) == (
        "Mẫu mau.docx dùng biến ten_don_vi_typo nhưng docflow không có biến này. Có phải ý bạn "
        "là ten_don_vi? Tìm “ten_don_vi_typo” trong mẫu Word (Ctrl+F) và sửa lại. Các biến dùng "
        "được: ngay, ten_don_vi.")
    assert "is undefined" not in str(info.value)


def test_a_misspelt_field_of_a_row_is_named_with_the_closest_field(tmp_path):
    doc = Document()
    doc.add_paragraph("{% for p in people %}{{ p.ho_tenn }}{% endfor %}")
    doc.save(str(tmp_path / "mau.docx"))
    with pytest.raises(TemplateError, match="dùng biến ho_tenn .* Có phải ý bạn là ho_ten\\?"):
        Renderer(tmp_path).render("mau.docx", {"people": [{"ho_ten": "Nguyễn Văn Mẫu"}]})


def test_a_broken_template_file_says_to_resave_it(tmp_path):
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 hong")
    with pytest.raises(TemplateError, match="lưu lại dạng Word Document"):
        Renderer(tmp_path).render("hong.docx", {})


def test_a_line_break_in_a_value_becomes_a_line_break_in_word():
    context = sample_context("phieu-tiep-nhan.docx") | {"intro": "Dòng một\nDòng hai"}
    data = Renderer(TEMPLATES).render("phieu-tiep-nhan.docx", context)
    import zipfile
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "Dòng một</w:t><w:br/>" in xml
