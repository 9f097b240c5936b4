"""What a rejected unit gets back: the report, its text twin, and its own workbook marked up."""

from __future__ import annotations

import subprocess

from builders import CHAIRMAN, dn_info, dn_workbook, person
from docx_reader import full_text
from openpyxl import load_workbook

from docflow.config import load
from docflow.store.inbox import waiting
from docflow.pipeline import process_inbox_file
from docflow.workspace import Workspace


def reject_one(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV", proposal_date="31/02/2025"),
                [person("Nguyễn Văn An", gender="X"), person("Trần Văn B", achievements="ngắn")])
    (outcome,) = [process_inbox_file(p, ws) for p in waiting(ws.inbox)]
    assert outcome.status == "rejected"
    return outcome


def test_the_marked_copy_highlights_each_problem_cell_with_a_comment(ws):
    reject_one(ws)
    marked = next((ws.outbox / "SNV").glob("*Danh-dau-loi-dn.xlsx"))
    wb = load_workbook(marked)
    for sheet, ref, words in [("Thông tin", "B4", "Ngày tờ trình"), ("Danh sách", "D2", "Nam"),
                              ("Danh sách", "I3", "ít nhất 20 ký tự")]:
        cell = wb[sheet][ref]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE")
        assert words in cell.comment.text
    assert wb["Danh sách"]["C2"].comment is None
    assert wb["Danh sách"]["C2"].value == "Nguyễn Văn An"  # everything else unchanged


def test_the_marked_copy_keeps_the_forms_dropdowns_and_hidden_sheet(ws, tmp_path):
    from docflow.forms.write_xlsx import blank_form

    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(blank_form(ws.config.forms["DN"], tuple(a.name for a in ws.config.awards)))
    wb = load_workbook(blank)
    info = wb["Thông tin"]
    info["B1"], info["B2"] = "SNV", "Sở Nội vụ"
    wb["Danh sách"]["B4"], wb["Danh sách"]["C4"] = "Cá nhân", "Nguyễn Văn An"
    (ws.inbox / "SNV").mkdir()
    wb.save(ws.inbox / "SNV" / "thieu.xlsx")
    process_inbox_file(ws.inbox / "SNV" / "thieu.xlsx", ws)
    marked = load_workbook(next((ws.outbox / "SNV").glob("*Danh-dau-loi-thieu.xlsx")))
    assert marked["_docflow"].sheet_state == "hidden"
    assert len(marked["Danh sách"].data_validations.dataValidation) == 3
    assert marked["Thông tin"]["B3"].comment is not None  # Số tờ trình left empty


def test_the_marked_copy_reopens_in_libreoffice(ws, tmp_path):
    reject_one(ws)
    marked = next((ws.outbox / "SNV").glob("*Danh-dau-loi-dn.xlsx"))
    out = tmp_path / "lo"
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out),
         str(marked)],
        capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "31/02/2025" in (out / marked.with_suffix(".csv").name).read_text("utf-8")


def test_the_text_twin_lists_every_problem_in_one_line_each(ws):
    outcome = reject_one(ws)
    text = next((ws.outbox / "SNV").glob("*Phieu-bao-loi-dn.txt")).read_text("utf-8")
    assert f"Có {len(outcome.problems)} lỗi" in text
    assert "Thông tin!B4" in text and "Danh sách!D2" in text and "Danh sách!I3" in text
    report = next((ws.outbox / "SNV").glob("*Phieu-bao-loi-dn.docx"))
    assert "Danh-dau-loi" in full_text(report)


def test_a_stricter_criterion_rejects_a_row_accepted_before(ws, clock):
    rows = [person("Nguyễn Văn An", initiatives=1)]
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), rows)
    assert process_inbox_file(ws.inbox / "SNV" / "dn.xlsx", ws).status == "accepted"

    path = ws.config.root / "config.toml"
    with path.open("a", encoding="utf-8") as fh:  # the administrator adds a criterion
        fh.write(f'\n[[criteria]]\naward = "{CHAIRMAN}"\nrule = "initiatives >= 2"\n'
                 'field = "initiatives"\nmessage = "Cần ít nhất 02 sáng kiến."\n')
    stricter = Workspace.open(load(path), clock)
    try:
        clock.advance(60)
        dn_workbook(ws.inbox / "SNV" / "dn-gui-lai.xlsx",
                    dn_info("SNV", proposal_number="13/TTr-SNV"), rows)
        outcome = process_inbox_file(ws.inbox / "SNV" / "dn-gui-lai.xlsx", stricter)
    finally:
        stricter.close()
    assert outcome.status == "rejected"
    assert [(p.code, p.location) for p in outcome.problems] == [("criteria", "Danh sách!J2")]
