"""When a deadline passes, late units get a Công văn đôn đốc and a notice; senders never do."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import bc_workbook
from docx_reader import blocks, full_text

from docflow.config import load
from docflow.errors import ConfigError
from docflow.pipeline import process_all

LETTER = "_tong-hop/Cong-van-don-doc-BC-Nam-2025.docx"


def listed(ws) -> list[str]:
    """The units the letter's table names."""
    table = next(v for k, v in blocks(ws.outbox / LETTER) if k == "table" and v[0][0] == "STT")
    return [row[1] for row in table[1:]]


def test_nothing_is_sent_before_the_deadline(ws):
    process_all(ws)
    assert not (ws.outbox / LETTER).exists()


def test_after_the_deadline_the_letter_names_active_units_that_have_not_sent(ws, clock):
    bc_workbook(ws.inbox / "SNV" / "bc.xlsx", "SNV", [4, 500, 30, 2, 3, 10])
    process_all(ws)
    clock.now = dt.datetime(2025, 12, 21, 8, 0)
    process_all(ws)
    text = full_text(ws.outbox / LETTER)
    assert "Số:       /SNV-TĐKT" in text
    assert "V/v đôn đốc gửi báo cáo kết quả" in text
    assert "trước ngày 27/12/2025" in text  # the deadline 20/12 + 7 days of grace
    active = [u.name for u in ws.config.units if u.valid_on(dt.date(2025, 12, 20))]
    assert listed(ws) == [n for n in active if n != "Sở Nội vụ"]  # ended units never in it
    notice = (ws.outbox / "SYT" / "Don-doc-BC-Nam-2025.txt").read_text(encoding="utf-8")
    assert "chưa gửi" in notice and "27/12/2025" in notice
    assert not (ws.outbox / "SNV" / "Don-doc-BC-Nam-2025.txt").exists()


def test_a_unit_that_sends_late_leaves_the_letter_when_it_is_remade(ws, clock):
    clock.now = dt.datetime(2025, 12, 21, 8, 0)
    process_all(ws)
    assert "Sở Y tế" in listed(ws)
    bc_workbook(ws.inbox / "SYT" / "bc.xlsx", "SYT", [4, 500, 30, 2, 3, 10])
    process_all(ws)
    assert "Sở Y tế" not in listed(ws)
    assert "Sở Nội vụ" in listed(ws)


def test_deadline_rows_are_checked_with_key_paths(tmp_path):
    from builders import workspace

    path = workspace(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('[[deadlines]]\nform = "DN"\ndate = 2025-12-10\n', "")  # one DN row
    row = text.count("[[deadlines]]")
    path.write_text(text + '\n[[deadlines]]\nform = "DN"\nperiod = "Năm 2025"\n'
                    'date = 2025-12-10\nnew_date = 2025-12-01\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    block = f"khối [[deadlines]] thứ {row + 1}, dòng "   # as a person counts blocks and lines
    assert block in message and "khóa period: chỉ hạn nộp BC có kỳ báo cáo" in message
    assert "khóa new_date: hạn mới phải sau hạn nộp (10/12/2025)" in message
