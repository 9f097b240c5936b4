"""`docflow check` explains what Word did to a template's tags, and repairs what is safe."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from docx import Document

from docflow.documents.render import Renderer
from docflow.documents.template_lint import lint, variables

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
AVAILABLE = {"header", "title", "summary", "intro", "info", "counts", "warnings", "outputs",
             "footer_note", "signature", "recipients"}


def edited(tmp_path: Path, *runs: str) -> Path:
    shutil.copy(TEMPLATES / "phieu-tiep-nhan.docx", tmp_path / "phieu-tiep-nhan.docx")
    doc = Document(str(tmp_path / "phieu-tiep-nhan.docx"))
    paragraph = doc.add_paragraph()
    for text in runs:
        paragraph.add_run(text).bold = len(paragraph.runs) % 2 == 0  # Word splits on formatting
    doc.save(str(tmp_path / "phieu-tiep-nhan.docx"))
    return tmp_path / "phieu-tiep-nhan.docx"


def test_the_shipped_receipt_uses_only_variables_docflow_provides():
    path = TEMPLATES / "phieu-tiep-nhan.docx"
    assert variables(path) <= AVAILABLE
    assert lint(path, AVAILABLE) == []


def test_an_unknown_variable_is_named_with_those_available(tmp_path):
    notes = lint(edited(tmp_path, "{{ so_ho_so }}"), AVAILABLE)
    assert notes[0].startswith("dùng biến docflow không cung cấp: so_ho_so; các biến có sẵn:")


def test_a_tag_split_across_runs_is_reported_and_still_renders(tmp_path):
    from test_templates import sample_context

    path = edited(tmp_path, "Lời dẫn: {{ in", "tro }}")
    assert any("bị Word tách thành nhiều đoạn" in n for n in lint(path, AVAILABLE))
    data = Renderer(tmp_path).render(path.name, sample_context("phieu-tiep-nhan.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Lời dẫn: Ban Thi đua - Khen thưởng đã nhận hồ sơ của đơn vị." in text


def test_curly_quotes_typed_by_word_inside_a_tag_are_straightened(tmp_path):
    from test_templates import sample_context

    path = edited(tmp_path, "{{ intro|replace(“đơn vị”, ‘Sở’) }}")
    assert any("dấu nháy cong" in n for n in lint(path, AVAILABLE))
    data = Renderer(tmp_path).render(path.name, sample_context("phieu-tiep-nhan.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "đã nhận hồ sơ của Sở." in text
