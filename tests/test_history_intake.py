"""A unit's award history (LS) dropped into its inbox feeds the office's register."""

from __future__ import annotations

import datetime as dt

from docx_reader import full_text
from history_builders import BORN, CSTDCS, award_row, ls_workbook

from docflow.cli import main
from docflow.pipeline import process_all

THUY = "Nguyễn Thị Thuỷ"


def _drop_history(ws, name: str = "so-khen-thuong.xlsx"):
    return ls_workbook(ws.inbox / "SNV" / name, [
        award_row(THUY, 2022),
        award_row("Nguyễn Thị Thủy", 2023),                       # old tone placement
        award_row(THUY, 2024, "Bằng khen của Chủ tịch UBND tỉnh", number="1234/QĐ-UBND"),
        award_row(THUY, 2024, born=dt.date(1990, 7, 1)),          # same name, other birth date
        award_row("Trần Văn Nam", 2024, born=dt.date(1979, 1, 2)),
        award_row("Phòng Tổ chức cán bộ", 2024, "Tập thể lao động xuất sắc", born=None,
                  kind="Tập thể"),
    ], ratings=[[THUY, BORN, 2024, "Hoàn thành xuất sắc nhiệm vụ"]])


def test_an_ls_workbook_in_inbox_snv_gets_a_receipt_with_rows_added_matched_and_to_confirm(ws):
    _drop_history(ws)
    [outcome] = process_all(ws)
    assert outcome.status == "accepted", outcome.problems
    receipt = full_text(next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan*.docx")))
    assert "LS — Sổ theo dõi khen thưởng" in receipt
    assert "đã được ghi vào sổ theo dõi khen thưởng" in receipt
    # Thuỷ 1985, Trần Văn Nam and the collective are new; Thủy 2023, her Bằng khen and her
    # rating join her; the other Thuỷ (born 1990, same unit) waits for the office.
    assert "Ghi vào sổ: dòng của người, tập thể mới\n3\n" in receipt
    assert "Ghi vào sổ: dòng khớp với người, tập thể đã có trong sổ\n3\n" in receipt
    assert "Ghi vào sổ: dòng đã có sẵn trong sổ (bỏ qua)\n0\n" in receipt
    assert "Ghi vào sổ: dòng chờ Ban Thi đua - Khen thưởng xác nhận\n1\n" in receipt
    assert "Chờ xác nhận — Sổ khen thưởng, dòng 5: Nguyễn Thị Thuỷ: cùng họ tên trong cùng " \
           "đơn vị nhưng ngày sinh khác (01/07/1990; sổ có: 12/03/1985)" in receipt
    counts = ws.register().pending()
    assert [p["name"] for p in counts] == [THUY]


def test_docflow_history_then_lists_her_rows_including_one_written_thuy(ws, capsys):
    _drop_history(ws)
    process_all(ws)
    ws.close()
    code = main(["--config", str(ws.config.root / "config.toml"), "history", THUY])
    out = capsys.readouterr().out
    assert code == 0
    assert "Nguyễn Thị Thuỷ, sinh 12/03/1985 (Cá nhân" in out
    assert "  Năm 2022\n    - Chiến sĩ thi đua cơ sở: Quyết định số 225/QĐ-SNV ngày " \
           "20/12/2022 của Sở Nội vụ (Phòng Tổ chức cán bộ, Sở Nội vụ)\n" in out
    assert "  Năm 2023\n    - Chiến sĩ thi đua cơ sở: Quyết định số 235/QĐ-SNV ngày 20/12/2023 " \
           "của Sở Nội vụ (Phòng Tổ chức cán bộ, Sở Nội vụ; ghi tên “Nguyễn Thị Thủy”)\n" in out
    assert "Năm 2024 — xếp loại: Hoàn thành xuất sắc nhiệm vụ" in out
    assert "Bằng khen của Chủ tịch UBND tỉnh: Quyết định số 1234/QĐ-UBND ngày 20/12/2024" in out
    assert "Chờ văn phòng xác nhận" in out and "sinh 01/07/1990, SNV: Chiến sĩ thi đua cơ sở " \
           "năm 2024" in out


def test_the_same_history_sent_again_adds_nothing(ws):
    _drop_history(ws)
    process_all(ws)
    ls_workbook(ws.inbox / "SNV" / "lan-2.xlsx", [award_row(THUY, 2022),
                                                  award_row(THUY, 2025)])
    [outcome] = process_all(ws)
    assert outcome.status == "accepted"
    receipt = full_text(next((ws.outbox / "SNV").glob("*Phieu-tiep-nhan-lan-2.docx")))
    assert "Ghi vào sổ: dòng đã có sẵn trong sổ (bỏ qua)\n1\n" in receipt
    assert "Thay thế" not in receipt  # the register only grows: the first file still counts
    [her] = ws.register().history(THUY, BORN)
    assert [e.year for e in her.entries if e.title == CSTDCS] == [2022, 2023, 2025]


def test_a_history_row_with_an_unknown_title_is_refused_naming_its_cell(ws):
    ls_workbook(ws.inbox / "SNV" / "ls.xlsx", [award_row(THUY, 2022, "Huân chương Vũ trụ")])
    [outcome] = process_all(ws)
    assert outcome.status == "rejected"
    [problem] = outcome.problems
    assert problem.location == "Sổ khen thưởng!F2"
    assert ws.register().history(THUY) == []


def test_the_confirmed_doubt_joins_the_person_the_office_names(ws, capsys):
    _drop_history(ws)
    process_all(ws)
    [doubt] = ws.register().pending()
    [her] = ws.register().history(THUY, BORN)
    ws.close()
    config = str(ws.config.root / "config.toml")
    assert main(["--config", config, "history", "--confirm", str(doubt["id"])]) == 0
    assert main(["--config", config, "history", THUY, "--born", "01/07/1990"]) == 0
    out = capsys.readouterr().out
    assert "Nguyễn Thị Thuỷ, sinh 01/07/1990" in out and "Năm 2024" in out
    assert her.person_id != int(out.split("mã trong sổ ")[-1].split(")")[0])
