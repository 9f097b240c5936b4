"""Isolation: each unit sees only its own answers, the province's documents stay in _tong-hop, and a
template can read nothing but the values it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from builders import (PRIME_MINISTER, bc_workbook, collective, dk_workbook, dn_info, dn_workbook,
                      pdf_file, person)
from docx import Document
from docx_reader import full_text
from openpyxl import load_workbook

from docflow.errors import TemplateError
from docflow.pipeline import process_all
from docflow.documents.render import Renderer

SECRET = "bi-mat-cua-may-chu-7f3a"
PASSWD_LINE = "root:x:0:0"
UNIT_DOCUMENTS = ("Phieu-tiep-nhan", "Phieu-bao-loi", "Danh-dau-loi", "Tep-trung",
                  "Cho-tep-dinh-kem", "Ke-hoach-trien-khai", "Quyet-dinh-tang-Giay-khen")
PROVINCE_DOCUMENTS = ("Quyet-dinh-tang-Bang-khen", "To-trinh-de-nghi", "To-trinh-cua-So-Noi-vu", "Cong-van-don-doc", "Bao-cao-tong-hop")


def text_of(path: Path) -> str:
    """What a person opening the file reads."""
    if path.suffix == ".docx":
        return full_text(path)
    if path.suffix == ".xlsx":
        wb = load_workbook(path)
        cells = [c for s in wb.worksheets for r in s.iter_rows() for c in r]
        return "\n".join([str(c.value) for c in cells if c.value is not None]
                         + [c.comment.text for c in cells if c.comment])
    return path.read_text("utf-8")


# What each unit sends; every value here is unique to its unit.
SENT = {
    "SNV": ["Nguyễn Văn Nội", "Trần Thị Vụ", "12/TTr-SNV", "de-nghi-snv.xlsx"],
    "SYT": ["Lê Văn Bệnh", "Phạm Thị Viện", "12/TTr-SYT", "de-nghi-syt.xlsx", "bao-cao-ly.pdf"],
    "STC": ["Hoàng Văn Ngân", "12/TTr-STC", "de-nghi-stc.xlsx"],
    "SGDDT": ["Chỉ tiêu trường học xanh", "25/KH-SGDDT", "dang-ky-sgddt.xlsx"],
    "SKHCN": ["Sáng kiến phòng thí nghiệm mở", "30/BC-SKHCN", "bao-cao-skhcn.xlsx"],
}


def drop_every_kind(ws) -> None:
    """Nominations (with Giấy khen and Thủ tướng rows), a rejection, a registration, a report."""
    dn_workbook(ws.inbox / "SNV" / "de-nghi-snv.xlsx", dn_info("SNV"), [
        person("Nguyễn Văn Nội"), person("Trần Thị Vụ", "Nữ", award="Giấy khen")])
    pdf_file(ws.inbox / "SYT" / "bao-cao-ly.pdf")
    dn_workbook(ws.inbox / "SYT" / "de-nghi-syt.xlsx", dn_info("SYT"), [
        person("Lê Văn Bệnh", award=PRIME_MINISTER, report_file="bao-cao-ly.pdf"),
        person("Phạm Thị Viện", "Nữ", award="Giấy khen"), collective("Khoa Nhi")])
    dn_workbook(ws.inbox / "STC" / "de-nghi-stc.xlsx", dn_info("STC"),
                [person("Hoàng Văn Ngân", gender="?")])
    dk_workbook(ws.inbox / "SGDDT" / "dang-ky-sgddt.xlsx", "SGDDT",
                [[1, "Chỉ tiêu trường học xanh", 10, "trường", dt.date(2025, 12, 1), "Phòng GD"]],
                **{"Tên đơn vị": "Sở Giáo dục và Đào tạo"})
    bc_workbook(ws.inbox / "SKHCN" / "bao-cao-skhcn.xlsx", "SKHCN", [1, 2, 3, 4, 5, 6],
                highlights="Sáng kiến phòng thí nghiệm mở", **{
                    "Tên đơn vị": "Sở Khoa học và Công nghệ"})


@pytest.fixture
def processed(ws):
    drop_every_kind(ws)
    outcomes = process_all(ws)
    assert sorted((o.unit, o.status) for o in outcomes) == [
        ("SGDDT", "accepted"), ("SKHCN", "accepted"), ("SNV", "accepted"), ("STC", "rejected"),
        ("SYT", "accepted"), ("SYT", "attachment")], [(o.unit, o.problems) for o in outcomes]
    return ws


def test_a_units_folder_holds_nothing_from_another_unit(processed):
    ws = processed
    for unit, own in SENT.items():
        folder = ws.outbox / unit
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert files, f"{unit} got no answer"
        others = [v for u, values in SENT.items() if u != unit for v in values]
        for path in files:
            text = text_of(path)
            leaked = [v for v in others if v in text]
            assert not leaked, f"{path.relative_to(ws.outbox)} shows {leaked}"
        assert any(own[-1] in text_of(p) for p in files), f"{unit}'s answers do not name its file"


def test_every_answer_goes_to_the_senders_folder_or_to_tong_hop(processed):
    ws = processed
    db = sqlite3.connect(ws.config.path("state") / "ledger.sqlite3")
    try:
        rows = db.execute("SELECT unit, name, outputs FROM files").fetchall()
    finally:
        db.close()
    for unit, name, outputs in rows:
        for item in json.loads(outputs):
            path = Path(item["path"] if isinstance(item, dict) else item)
            if path.is_relative_to(ws.outbox):
                folder = path.relative_to(ws.outbox).parts[0]
                assert folder in (unit, "_tong-hop"), f"{unit}/{name} answered in {folder}/"


def test_province_documents_appear_only_in_tong_hop_and_unit_documents_only_in_unit_folders(
        processed):
    ws = processed
    for path in (p for p in ws.outbox.rglob("*") if p.is_file()):
        folder = path.relative_to(ws.outbox).parts[0]
        if any(kind in path.name for kind in PROVINCE_DOCUMENTS):
            assert folder == "_tong-hop", path
        if folder == "_tong-hop":
            assert any(kind in path.name for kind in PROVINCE_DOCUMENTS), path
        elif folder in SENT:
            assert any(kind in path.name for kind in UNIT_DOCUMENTS), path
    province = "\n".join(text_of(p) for p in (ws.outbox / "_tong-hop").glob("*"))
    for expected in ("Nguyễn Văn Nội", "Lê Văn Bệnh", "Sáng kiến phòng thí nghiệm mở"):
        assert expected in province
    for unit_only in ("Trần Thị Vụ", "Phạm Thị Viện", "Hoàng Văn Ngân"):  # Giấy khen, rejected
        assert unit_only not in province


def test_the_same_bytes_from_another_unit_never_point_at_the_first_units_file(ws):
    first = dn_workbook(ws.inbox / "SNV" / "de-nghi-snv.xlsx", dn_info("SNV"),
                        [person("Nguyễn Văn Nội")])
    data = first.read_bytes()
    assert [o.status for o in process_all(ws)] == ["accepted"]
    copy = ws.inbox / "SYT" / "ban-sao.xlsx"
    copy.parent.mkdir()
    copy.write_bytes(data)
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"  # SNV's form in SYT's folder, not "a duplicate of …"
    for path in (ws.outbox / "SYT").glob("*"):
        text = text_of(path)
        assert "de-nghi-snv.xlsx" not in text and "Phieu-tiep-nhan-de-nghi-snv" not in text


def test_a_unit_folder_spelled_in_lower_case_gets_every_answer_in_the_units_folder(ws):
    dn_workbook(ws.inbox / "snv" / "de-nghi.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn Nội"), person("Trần Thị Vụ", "Nữ", award="Giấy khen")])
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted"
    folders = {p.relative_to(ws.outbox).parts[0] for p in ws.outbox.rglob("*") if p.is_file()}
    assert folders == {"SNV", "_tong-hop"}


# --- templates cannot reach the machine ----------------------------------------------------------


PROBES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ config }}", "{{ config.items() }}", "{{ request.environ }}",
    "{{ self }}", "{{ self.__init__.__globals__ }}", "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__ }}", f"{{{{ lipsum.__globals__['os'].environ['DOCFLOW_SECRET'] }}}}",
    "{{ cycler.__init__.__globals__.os.popen('cat /etc/passwd').read() }}",
    "{{ joiner.__init__.__globals__ }}", "{{ namespace.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}", "{{ '{0.__class__}'.format(1) }}",
    "{{ value.__class__ }}", "{{ value.update({'a': 1}) }}", "{{ value|string }}",
    pytest.param("{% include '/etc/passwd' %}"),
    pytest.param("{% import 'os' as os %}{{ os }}"),
    pytest.param("{% extends '/etc/passwd' %}"),
    pytest.param("{% for i in range(10**9) %}{% endfor %}"),
]


def template_with(folder: Path, text: str) -> str:
    doc = Document()
    doc.add_paragraph("Kết quả: " + text)
    doc.save(str(folder / "mau.docx"))
    return "mau.docx"


@pytest.mark.parametrize("tag", PROBES)
def test_a_template_can_read_neither_files_nor_the_environment(tmp_path, monkeypatch, tag):
    monkeypatch.setenv("DOCFLOW_SECRET", SECRET)
    name = template_with(tmp_path, tag)
    try:
        data = Renderer(tmp_path).render(name, {"value": {"a": "giá trị"}})
    except TemplateError as exc:
        assert "mau.docx" in str(exc)  # names the template to fix
        return
    (tmp_path / "ra.docx").write_bytes(data)
    text = full_text(tmp_path / "ra.docx")
    for danger in (SECRET, PASSWD_LINE, "<class", "__", "environ", "function", "module", "os."):
        assert danger not in text, f"{tag} rendered {text!r}"


def test_a_receipt_template_that_tries_to_include_a_file_fails_safely_in_the_pipeline(ws):
    doc = Document()
    doc.add_paragraph("{% include '/etc/passwd' %}")
    doc.save(str(ws.renderer.folder / "phieu-tiep-nhan.docx"))
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"), [person("Nguyễn Văn Nội")])
    (outcome,) = process_all(ws)
    assert outcome.status == "failed"
    notice = next((ws.outbox / "_quan-tri").glob("*-Loi-xu-ly-de-nghi.txt")).read_text("utf-8")
    assert "phieu-tiep-nhan.docx" in notice
    assert PASSWD_LINE not in notice
    assert not (ws.outbox / "SNV").exists()
    assert [p.name for p in ws.state("work").rglob("*.xlsx")] == ["de-nghi.xlsx"]


def test_environment_secrets_never_reach_a_document_made_from_the_shipped_templates(ws,
                                                                                    monkeypatch):
    monkeypatch.setenv("DOCFLOW_SECRET", SECRET)
    dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV", signer="{{ config }}"),
                [person("{{ lipsum.__globals__ }}", workplace="{% include '/etc/passwd' %}")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    for path in ws.outbox.rglob("*.docx"):
        text = full_text(path)
        assert SECRET not in text and PASSWD_LINE not in text
    decision = full_text(ws.outbox / "_tong-hop" /
                         "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx")
    assert "{{ lipsum.__globals__ }}" in decision and "{% include '/etc/passwd' %}" in decision
    assert os.environ["DOCFLOW_SECRET"] == SECRET
