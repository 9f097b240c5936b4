"""A dossier is one PDF: the draft decision, its list and the units' attachments, bookmarked."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter

from docflow.convert.pool import FakeConverter
from docflow.convert.dossier import DossierError, Mark, Part, build_dossier
from docflow.errors import DocflowError

TITLE = "Hồ sơ đề nghị khen thưởng - Sở Nội vụ"
AUTHOR = "Ban Thi đua - Khen thưởng (Sở Nội vụ)"


def pdf(path: Path, *widths: int, outline: str = "") -> Path:
    """A PDF of blank pages told apart by their widths once merged; maybe a bookmark of its own."""
    writer = PdfWriter()
    for width in widths:
        writer.add_blank_page(width=width, height=842)
    if outline:
        writer.add_outline_item(title=outline, page_number=0)
    writer.write(path)
    return path


def widths(data: bytes, tmp_path: Path) -> list[int]:
    out = tmp_path / "dossier.pdf"
    out.write_bytes(data)
    return [round(float(p.mediabox.width)) for p in PdfReader(out).pages]


def outline_tree(data: bytes, tmp_path: Path) -> list:
    """The bookmarks as [(title, page)] with nested lists after an item for its children."""
    out = tmp_path / "dossier.pdf"
    out.write_bytes(data)
    reader = PdfReader(out)

    def walk(items):
        tree = []
        for item in items:
            if isinstance(item, list):
                tree.append(walk(item))
            else:
                tree.append((item.title, reader.get_destination_page_number(item)))
        return tree

    return walk(reader.outline)


def test_parts_are_merged_in_order_with_a_bookmark_each_and_nested_nominees(tmp_path):
    parts = [
        Part("Dự thảo Quyết định", pdf(tmp_path / "qd.pdf", 501, 502)),
        Part("Danh sách kèm theo", pdf(tmp_path / "ds.pdf", 511, 512, 513), marks=(
            Mark("I. Tập thể", 0),
            Mark("II. Cá nhân", 1, children=(Mark("Ông Nguyễn Văn An", 1),
                                               Mark("Bà Trần Thị Bình", 2))))),
        Part("Báo cáo thành tích - Nguyễn Văn An", pdf(tmp_path / "bc.pdf", 521)),
    ]

    data = build_dossier(parts, TITLE, AUTHOR)

    assert widths(data, tmp_path) == [501, 502, 511, 512, 513, 521]
    assert outline_tree(data, tmp_path) == [
        ("Dự thảo Quyết định", 0),
        ("Danh sách kèm theo", 2),
        [("I. Tập thể", 2), ("II. Cá nhân", 3), [("Ông Nguyễn Văn An", 3),
                                                 ("Bà Trần Thị Bình", 4)]],
        ("Báo cáo thành tích - Nguyễn Văn An", 5),
    ]


def test_dossier_carries_title_author_and_opens_on_its_bookmarks(tmp_path):
    data = build_dossier([Part("Tờ trình", pdf(tmp_path / "tt.pdf", 595))], TITLE, AUTHOR)
    (tmp_path / "out.pdf").write_bytes(data)
    reader = PdfReader(tmp_path / "out.pdf")
    assert (reader.metadata.title, reader.metadata.author) == (TITLE, AUTHOR)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_bookmarks_inside_an_attachment_are_not_carried_over(tmp_path):
    attachment = pdf(tmp_path / "bc.pdf", 595, outline="Mục lục riêng của đơn vị")
    data = build_dossier([Part("Báo cáo thành tích", attachment)], TITLE, AUTHOR)
    assert outline_tree(data, tmp_path) == [("Báo cáo thành tích", 0)]


def test_text_of_converted_documents_survives_the_merge(tmp_path):
    doc = Document()
    doc.add_paragraph("Nguyễn Thị Hoà, Đại Từ, Quyết định")
    doc.save(tmp_path / "qd.docx")
    FakeConverter().to_pdf(tmp_path / "qd.docx", tmp_path / "qd.pdf")

    data = build_dossier([Part("Quyết định", tmp_path / "qd.pdf")], TITLE, AUTHOR)

    (tmp_path / "out.pdf").write_bytes(data)
    assert "Nguyễn Thị Hoà, Đại Từ, Quyết định" in PdfReader(tmp_path / "out.pdf").pages[
        0].extract_text()


def test_an_attachment_locked_by_a_password_is_named_and_the_dossier_not_made(tmp_path):
    locked = tmp_path / "bao-cao-an.pdf"
    writer = PdfWriter(clone_from=pdf(tmp_path / "plain.pdf", 595))
    writer.encrypt(user_password="bimat", owner_password="bimat", algorithm="AES-256")
    writer.write(locked)

    with pytest.raises(DossierError) as caught:
        build_dossier([Part("Báo cáo thành tích", locked)], TITLE, AUTHOR)

    assert isinstance(caught.value, DocflowError) and caught.value.path == locked
    assert "bao-cao-an.pdf" in str(caught.value) and "mật khẩu" in str(caught.value)


def test_an_attachment_with_only_an_owner_password_is_merged(tmp_path):
    restricted = tmp_path / "han-che-in.pdf"
    writer = PdfWriter(clone_from=pdf(tmp_path / "plain.pdf", 595, 596))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-256")
    writer.write(restricted)

    data = build_dossier([Part("Báo cáo thành tích", restricted)], TITLE, AUTHOR)
    assert widths(data, tmp_path) == [595, 596]


@pytest.mark.parametrize("content, words", [
    (b"%PDF-1.7\nnot really a pdf", "bị hỏng hoặc không phải tệp PDF"),
    (None, "Không tìm thấy tệp"),
])
def test_a_broken_or_missing_attachment_is_named(tmp_path, content, words):
    attachment = tmp_path / "bao-cao-binh.pdf"
    if content is not None:
        attachment.write_bytes(content)
    parts = [Part("Quyết định", pdf(tmp_path / "qd.pdf", 595)), Part("Báo cáo", attachment)]

    with pytest.raises(DossierError, match=words) as caught:
        build_dossier(parts, TITLE, AUTHOR)

    assert caught.value.path == attachment and "bao-cao-binh.pdf" in str(caught.value)


def test_a_bookmark_past_the_end_of_its_part_is_a_programming_error(tmp_path):
    part = Part("Danh sách", pdf(tmp_path / "ds.pdf", 595), marks=(Mark("Ông An", 1),))
    with pytest.raises(ValueError, match=r"page 1 of ds\.pdf"):
        build_dossier([part], TITLE, AUTHOR)


def test_a_dossier_needs_at_least_one_part():
    with pytest.raises(ValueError):
        build_dossier([], TITLE, AUTHOR)
