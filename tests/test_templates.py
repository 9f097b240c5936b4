"""Render the default Word templates in templates/ with docxtpl and check what a reader sees."""

import re
import zipfile
from pathlib import Path

import jinja2
import jinja2.sandbox
import pytest
from lxml import etree
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate

from docflow.documents.contexts import chunks
from docx_reader import section

TEMPLATES = Path(__file__).resolve().parent / "data" / "templates"
NASTY = "Phòng A & B <w:p> {{ 7*7 }}"  # must come out literally, never interpreted
TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

DECISIONS = ["quyet-dinh-bang-khen.docx", "quyet-dinh-giay-khen.docx"]
ALL = DECISIONS + ["to-trinh-bang-khen-thu-tuong.docx", "phieu-tiep-nhan.docx",
                   "phieu-bao-loi.docx"]


def sample_context(name):
    """A full Vietnamese sample context for the template `name`."""
    decision = name.startswith("quyet-dinh")
    ctx = {
        "header": {
            "parent": "UBND TỈNH THÁI NGUYÊN" if name.startswith("phieu") else "",
            "issuer_lines": (["SỞ NỘI VỤ"] if name.startswith("phieu")
                             else ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"]),
            "number": "Số:        /QĐ-UBND",
            "place_date": "Thái Nguyên, ngày      tháng      năm 2026",
        },
        "title": {"to-trinh": "TỜ TRÌNH", "phieu-ti": "PHIẾU TIẾP NHẬN",
                  "phieu-ba": "PHIẾU BÁO LỖI"}.get(name[:8], "QUYẾT ĐỊNH"),
        "summary": "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "signature": {"lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "name": "Nguyễn Văn A"},
        "recipients": ["- Như Điều 3;" if decision else "- Như trên;",
                       "- Chủ tịch, các PCT UBND tỉnh;", f"- {NASTY};", "- Lưu: VT, NC."],
    }
    groups = lambda kind: [  # noqa: E731
        {"label": "1. Sở Nội vụ", "items": [
            {"stt": "1", "name": f"{kind} Một", "detail": "Chuyên viên, Sở Nội vụ",
             "amount": "7.020.000", "summary": "Hoàn thành xuất sắc nhiệm vụ được giao năm 2025"},
            {"stt": "2", "name": f"{kind} Hai", "detail": "", "amount": "7.020.000",
             "summary": NASTY}]},
        {"label": "2. Sở Y tế", "items": [
            {"stt": "3", "name": f"{kind} Ba", "detail": "Sở Y tế", "amount": "7.020.000",
             "summary": "Có 02 sáng kiến được công nhận"}]},
    ]
    award = {
        "legal_bases": ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
                        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ."],
        "award_name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "campaign_name": f"phong trào thi đua {NASTY}",
        "counts": {"collective": "03", "individual": "03", "phrase": "03 tập thể và 03 cá nhân"},
        "sections": {"collective": "I. TẬP THỂ", "individual": "II. CÁ NHÂN"},
        "appendix": {"summary": "Tập thể, cá nhân được tặng Bằng khen",
                     "reference": "(Kèm theo Quyết định số      /QĐ-UBND ngày      tháng      năm"
                                  " 2026 của Chủ tịch UBND tỉnh)"},
        "collective_groups": groups("Tập thể"),
        "individual_groups": groups("Ông Cá nhân"),
        "collective_tables": chunks(groups("Tập thể")),
        "individual_tables": chunks(groups("Ông Cá nhân")),
    }
    if decision:
        ctx |= award | {
            "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN",
            "proposal_line": "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số      /TTr-SNV ngày      tháng      năm 2025.",
            "money": {"rates": "mỗi tập thể được thưởng 7.020.000 đồng (3,0 × mức lương cơ sở"
                               " 2.340.000 đồng), mỗi cá nhân được thưởng 3.510.000 đồng",
                      "collective_each": "7.020.000 đồng", "individual_each": "3.510.000 đồng",
                      "collective_coefficient": "3,0", "individual_coefficient": "1,5",
                      "base_salary": "2.340.000 đồng", "total": "31.590.000 đồng",
                      "total_words": "Ba mươi mốt triệu năm trăm chín mươi nghìn đồng"},
            "funding_source": "Quỹ Thi đua, khen thưởng tỉnh",
            "executors": "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ",
            "collective_total": "21.060.000", "individual_total": "10.530.000",
        }
    elif name.startswith("to-trinh"):
        ctx |= award | {"kinh_gui": ["Thủ tướng Chính phủ",
                                     "(qua Bộ Nội vụ - Ban Thi đua - Khen thưởng Trung ương)"]}
    else:
        ctx |= {
            "intro": "Ban Thi đua - Khen thưởng đã nhận hồ sơ của đơn vị.",
            "info": [{"label": "Đơn vị", "value": "Sở Nội vụ (SNV)"},
                     {"label": "Tệp", "value": NASTY}],
            "footer_note": "Phiếu này được lập tự động.",
        }
        if name == "phieu-tiep-nhan.docx":
            ctx["signature"] = {"lines": ["BAN THI ĐUA - KHEN THƯỞNG"], "name": ""}
            ctx |= {"counts": [{"label": "Số tập thể", "value": "3"},
                               {"label": "Số cá nhân", "value": "4"}],
                    "warnings": ["Ông Cá nhân Hai chưa có ngày sinh đầy đủ."],
                    "outputs": ["Dự thảo Quyết định tặng Bằng khen của Chủ tịch UBND tỉnh"]}
        else:
            ctx |= {"problems": [
                {"stt": "1", "severity": "Lỗi", "sheet": "Danh sách", "cell": "H7",
                 "location": "Danh sách!H7", "label": "Ngày sinh", "found": "31/02/1980",
                 "expected": "Một ngày có thật, dạng dd/mm/yyyy", "message": "Ngày không có thật"},
                {"stt": "2", "severity": "Cảnh báo", "sheet": "Thông tin", "cell": "B3",
                 "location": "Thông tin!B3", "label": "", "found": NASTY,
                 "expected": "Tên đơn vị trong danh mục", "message": "Tên đơn vị khác danh mục"}],
                "instructions": ["Đề nghị đơn vị sửa các ô nêu trên và gửi lại tệp."]}
    return ctx


def render(name, tmp_path, ctx=None):
    """Render templates/name with the sandboxed, autoescaping environment docflow uses."""
    tpl = DocxTemplate(TEMPLATES / name)
    env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    tpl.render(ctx or sample_context(name), jinja_env=env, autoescape=True)
    out = tmp_path / name
    tpl.save(out)
    return Document(out)


def texts(doc):
    """Every paragraph text of the body (tables included, in document order) and the headers."""
    body = ["".join(t.text or "" for t in p.iter(W + "t")) for p in doc.element.body.iter(W + "p")]
    headers = [p.text for s in doc.sections for h in (s.header, s.first_page_header)
               for p in h.paragraphs]
    return body, headers


def table_texts(table):
    """All cell texts of a python-docx table, row by row, joined by ' | '."""
    return [" | ".join(c.text for c in row.cells) for row in table.rows]


@pytest.mark.parametrize("name", ALL)
def test_tags_are_never_split_across_runs(name):
    with zipfile.ZipFile(TEMPLATES / name) as z:
        parts = [n for n in z.namelist() if re.match(r"word/(document|header\d*)\.xml", n)]
        for part in parts:
            root = etree.fromstring(z.read(part))
            for p in root.iter(W + "p"):
                runs = [t.text or "" for t in p.iter(W + "t")]
                for tag in TAG.findall("".join(runs)):
                    assert any(tag in r for r in runs), f"{name}:{part}: split tag {tag!r}"


@pytest.mark.parametrize("name", ALL)
def test_layout_and_no_leftover_tags(name, tmp_path):
    doc = render(name, tmp_path)
    body, headers = texts(doc)
    joined = "\n".join(body + headers).replace(NASTY, "")
    assert "{{" not in joined and "{%" not in joined and "}}" not in joined
    assert sum(NASTY in line for line in body) >= 2  # escaped on the way in, literal on the way out
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)
        assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
        assert section.different_first_page_header_footer
        assert section.first_page_header.paragraphs[0].text == ""
    assert 'instrText' in doc.sections[0].header._element.xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"}
    assert normal.font.size.pt == 14
    ctx = sample_context(name)
    header = doc.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in header.cell(0, 1).text
    assert header.cell(1, 0).text == ctx["header"]["number"]
    assert header.cell(1, 1).text == ctx["header"]["place_date"]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    assert left == ([ctx["header"]["parent"]] if ctx["header"]["parent"] else []) + ctx[
        "header"]["issuer_lines"]
    assert ctx["title"] in body and ctx["summary"] in body
    signature = next(t for t in doc.tables if t.cell(0, 0).text.startswith("Nơi nhận:"))
    recipients = [p.text for p in signature.cell(0, 0).paragraphs][1:]
    assert recipients == ctx["recipients"]
    sig = [p.text for p in signature.cell(0, 1).paragraphs if p.text]
    slip = name.startswith("phieu-")  # unsigned: no name, no space reserved for a signature
    assert sig == ctx["signature"]["lines"] + ([ctx["signature"]["name"]]
                                               if ctx["signature"]["name"] and not slip else [])
    if slip:
        assert len(signature.cell(0, 1).paragraphs) == len(ctx["signature"]["lines"])


@pytest.mark.parametrize("name", DECISIONS)
def test_decision_body_and_appendix(name, tmp_path):
    doc = render(name, tmp_path)
    body, _ = texts(doc)
    ctx = sample_context(name)
    assert body.index(ctx["authority"]) < body.index(ctx["legal_bases"][0]) < body.index(
        "QUYẾT ĐỊNH:")
    article1 = next(t for t in body if t.startswith("Điều 1."))
    assert "cho 03 tập thể và 03 cá nhân" in article1 and NASTY in article1
    article2 = next(t for t in body if t.startswith("Điều 2."))
    for part in ("7.020.000 đồng (3,0 × mức lương cơ sở 2.340.000 đồng)", "3.510.000 đồng",
                 "31.590.000 đồng", ctx["money"]["total_words"], "Quỹ Thi đua, khen thưởng tỉnh"):
        assert part in article2
    assert next(t for t in body if t.startswith("Điều 3.")).endswith("thi hành Quyết định này./.")
    assert len(doc.sections) == 2  # the appendix starts on a new page, numbered on its own
    assert "DANH SÁCH" in body and ctx["appendix"]["reference"] in body
    assert body.index("I. TẬP THỂ") < body.index("II. CÁ NHÂN")
    rows = [" | ".join(r) for r in section(doc, "I. TẬP THỂ")]
    assert rows[0] == "1. Sở Nội vụ"
    assert rows[1] == "STT | Tên tập thể | Số tiền thưởng (đồng)"  # a table per unit
    assert rows[2] == "1 | Tập thể Một\nChuyên viên, Sở Nội vụ | 7.020.000"
    assert rows[3] == "2 | Tập thể Hai | 7.020.000"  # empty detail leaves no empty line
    assert rows[4] == "2. Sở Y tế" and rows[6].startswith("3 | Tập thể Ba")
    assert rows[-1] == "Cộng | Cộng | 21.060.000"
    rows = [" | ".join(r) for r in section(doc, "II. CÁ NHÂN")]
    assert rows[1] == "STT | Họ và tên | Chức vụ, đơn vị công tác | Số tiền thưởng (đồng)"
    assert rows[2] == "1 | Ông Cá nhân Một | Chuyên viên, Sở Nội vụ | 7.020.000"
    assert rows[-1].endswith("| 10.530.000")
    assert "Ông Cá nhân" not in "".join(" ".join(r) for r in section(doc, "I. TẬP THỂ"))
    assert body[-1].startswith("Tổng cộng: 31.590.000 đồng (Bằng chữ: Ba mươi mốt")


def test_to_trinh(tmp_path):
    name = "to-trinh-bang-khen-thu-tuong.docx"
    doc = render(name, tmp_path)
    body, _ = texts(doc)
    assert "Kính gửi: Thủ tướng Chính phủ" in body
    assert body[body.index("Kính gửi: Thủ tướng Chính phủ") + 1].startswith("(qua Bộ Nội vụ")
    assert any(t.startswith("Ủy ban nhân dân tỉnh kính đề nghị Thủ tướng") and "03 tập thể" in t
               for t in body)
    assert "Ủy ban nhân dân tỉnh kính trình Thủ tướng Chính phủ xem xét, quyết định./." in body
    collective = [" | ".join(r) for r in section(doc, "I. TẬP THỂ")]
    individual = [" | ".join(r) for r in section(doc, "II. CÁ NHÂN")]
    assert collective[1] == "STT | Tên tập thể | Đơn vị | Tóm tắt thành tích"
    assert individual[2] == (
        "1 | Ông Cá nhân Một | Chuyên viên, Sở Nội vụ | Hoàn thành xuất sắc nhiệm vụ được giao năm"
        " 2025")
    assert NASTY in individual[3]


def test_phieu_tiep_nhan(tmp_path):
    name = "phieu-tiep-nhan.docx"
    doc = render(name, tmp_path)
    body, _ = texts(doc)
    assert table_texts(doc.tables[1]) == ["Đơn vị | Sở Nội vụ (SNV)", f"Tệp | {NASTY}"]
    assert table_texts(doc.tables[2]) == ["Số tập thể | 3", "Số cá nhân | 4"]
    assert body.index("Lưu ý (cảnh báo, không phải lỗi)") < body.index(
        "- Ông Cá nhân Hai chưa có ngày sinh đầy đủ.") < body.index(
        "Văn bản được lập, cập nhật từ hồ sơ này")
    ctx = sample_context(name) | {"warnings": [], "counts": []}
    body, _ = texts(render(name, tmp_path, ctx))
    assert "Lưu ý (cảnh báo, không phải lỗi)" not in body and "Số lượng đã đọc" not in body


def test_phieu_bao_loi(tmp_path):
    doc = render("phieu-bao-loi.docx", tmp_path)
    rows = table_texts(doc.tables[2])
    assert rows[0] == "STT | Mức độ | Vị trí | Nội dung | Giá trị đã nhập | Yêu cầu"
    assert rows[1].startswith("1 | Lỗi | Danh sách!H7\n(Ngày sinh) | Ngày không có thật | 31/02")
    assert rows[2].startswith(f"2 | Cảnh báo | Thông tin!B3 | Tên đơn vị khác danh mục | {NASTY}")
    assert doc.tables[2].rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    body, _ = texts(doc)
    assert "Đề nghị đơn vị sửa các ô nêu trên và gửi lại tệp." in body
    assert Mm(11) - 2000 < doc.tables[2].columns[0].width < Mm(11) + 2000
