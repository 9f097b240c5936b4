"""What docflow issues itself is numbered per year and type: no gap, no duplicate, even with
several worker processes taking numbers from one ledger at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from builders import dn_info, dn_workbook, person
from docx_reader import full_text

from docflow.pipeline import process_all
from docflow.store import Books as Register, Ledger


def take(path: str, count: int, out) -> None:
    ledger = Ledger(Path(path))
    register = Register(ledger)
    out.put([register.next_number(2025, "PTN") for _ in range(count)])
    ledger.close()


def test_two_processes_share_one_sequence_without_gap_or_duplicate(tmp_path):
    path = str(tmp_path / "ledger.sqlite3")
    Register(Ledger(Path(path)))  # the tables exist before the race
    queue = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=take, args=(path, 40, queue))
               for _ in range(2)]
    for w in workers:
        w.start()
    numbers = queue.get(timeout=120) + queue.get(timeout=120)
    for w in workers:
        w.join()
    assert sorted(numbers) == list(range(1, 81))


def test_each_year_and_type_counts_on_its_own(tmp_path):
    register = Register(Ledger(tmp_path / "ledger.sqlite3"))
    assert [register.next_number(2025, "PTN") for _ in range(3)] == [1, 2, 3]
    assert register.next_number(2025, "PBL") == 1
    assert register.next_number(2026, "PTN") == 1
    assert register.last_number(2025, "PTN") == 3


def test_receipts_and_error_slips_take_their_numbers_from_the_register(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    dn_workbook(ws.inbox / "SYT" / "dn.xlsx", dn_info("SYT"), [person("X", gender="?")])
    dn_workbook(ws.inbox / "STC" / "dn.xlsx", dn_info("STC"), [person("Lê Văn Cường")])
    process_all(ws)
    receipts = sorted(full_text(p).split("Số: ")[1][:6] for p in ws.outbox.rglob("*Phieu-tiep*.docx"))
    assert receipts == ["01/PTN", "02/PTN"]
    slip, = ws.outbox.rglob("*Phieu-bao-loi*.docx")
    assert "Số: 01/PBL" in full_text(slip)
