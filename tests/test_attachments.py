"""Báo cáo thành tích PDFs: sent beside the workbook or zipped with it, waited for, checked."""

from __future__ import annotations

import zipfile

import pytest
from builders import PRIME_MINISTER, dn_info, dn_workbook, pdf_file, person

from docflow.store.inbox import waiting
from docflow.pipeline import process_inbox_file, resume

REPORT = "bao-cao-thanh-tich-nguyen-van-an.pdf"


def nominate(ws, folder="SNV", name="dn.xlsx"):
    return dn_workbook(ws.inbox / folder / name, dn_info("SNV"),
                       [person("Nguyễn Văn An", award=PRIME_MINISTER, report_file=REPORT)])


def run(ws):
    return [process_inbox_file(p, ws) for p in waiting(ws.inbox)]


def test_a_pdf_in_the_same_folder_is_found_kept_and_listed_in_the_receipt(ws):
    nominate(ws)
    pdf_file(ws.inbox / "SNV" / REPORT, pages=3)
    outcomes = run(ws)
    assert sorted(o.status for o in outcomes) == ["accepted", "attachment"]
    assert (ws.state("attachments") / "SNV" / REPORT).is_file()
    from docx_reader import full_text
    receipt = next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan*.docx"))
    assert f"Tệp báo cáo thành tích đã nhận: {REPORT}." in full_text(receipt)


def test_a_zip_with_the_workbook_and_its_pdf_is_one_submission(ws, tmp_path):
    book = nominate(ws, name="dn.xlsx")
    pdf = pdf_file(tmp_path / REPORT)
    bundle = ws.inbox / "SNV" / "ho-so.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.write(book, "ho-so/dn.xlsx")
        zf.write(pdf, f"ho-so/{REPORT}")
    book.unlink()
    (outcome,) = run(ws)
    assert outcome.status == "accepted", outcome.problems
    assert (ws.state("attachments") / "SNV" / REPORT).is_file()
    assert [p.name for p in ws.state("archive").rglob("*.zip")] == ["ho-so.zip"]
    assert not [p for p in ws.state("work").rglob("*") if p.is_file()]  # nothing left behind


def test_a_missing_pdf_is_waited_for_then_reported_on_its_cell(ws, clock):
    nominate(ws)
    (outcome,) = run(ws)
    assert outcome.status == "waiting"
    notice = next((ws.outbox / "SNV").glob("*Cho-tep-dinh-kem*.txt")).read_text("utf-8")
    assert REPORT in notice and "10 phút" in notice
    clock.advance(5 * 60)
    assert [o.status for o in resume(ws)] == ["waiting"]
    clock.advance(6 * 60)
    (late,) = resume(ws)
    assert late.status == "rejected"
    assert [(p.code, p.location) for p in late.problems] == [
        ("attachment.missing", "Danh sách!M2")]


def test_a_pdf_arriving_later_releases_the_waiting_form(ws, clock):
    nominate(ws)
    assert [o.status for o in run(ws)] == ["waiting"]
    clock.advance(120)
    pdf_file(ws.inbox / "SNV" / REPORT)
    assert [o.status for o in run(ws)] == ["attachment"]
    assert [o.status for o in resume(ws)] == ["accepted"]


@pytest.mark.parametrize("make, fault", [
    (lambda p: pdf_file(p, password="1234"), "có mật khẩu"),
    (lambda p: p.write_bytes(b"PK\x03\x04 day la tep zip"), "không phải PDF hoặc bị hỏng"),
    (lambda p: p.write_bytes(b""), "không phải PDF hoặc bị hỏng"),
])
def test_an_unusable_pdf_is_reported_on_the_cell_that_names_it(ws, tmp_path, make, fault):
    book = nominate(ws)
    make(tmp_path / REPORT)
    bundle = ws.inbox / "SNV" / "ho-so.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.write(book, "dn.xlsx")
        zf.write(tmp_path / REPORT, REPORT)
    book.unlink()
    (outcome,) = run(ws)
    assert outcome.status == "rejected"
    (problem,) = outcome.problems
    assert (problem.code, problem.location) == ("attachment.unusable", "Danh sách!M2")
    assert fault in problem.message


def test_a_zip_bomb_is_refused_before_it_fills_the_disk(ws):
    bundle = ws.inbox / "SNV" / "bom.zip"
    bundle.parent.mkdir(parents=True)
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("dn.xlsx", b"\0" * (ws.config.intake.max_zip_bytes + 1))
    (outcome,) = run(ws)
    assert outcome.status == "rejected"
    assert outcome.problems[0].code == "zip.too_big"
    assert not list(ws.state("work").rglob("dn.xlsx"))


def test_a_zip_with_too_many_entries_or_path_tricks_is_handled_safely(ws, tmp_path):
    bundle = ws.inbox / "SNV" / "nhieu.zip"
    bundle.parent.mkdir(parents=True)
    with zipfile.ZipFile(bundle, "w") as zf:
        for i in range(ws.config.intake.max_zip_entries + 1):
            zf.writestr(f"../../etc/x{i}.pdf", b"x")
    (outcome,) = run(ws)
    assert outcome.problems[0].code == "zip.too_many"
    assert not (ws.config.root.parent / "etc").exists()
