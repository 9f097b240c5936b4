"""A unit's outbox folder shows the answer to its latest accepted file; what that file
superseded moves to outbox/<UNIT>/cu/ (never deleted), and the ledger knows where it went."""

from __future__ import annotations

from builders import dn_info, dn_workbook, person

from docflow.pipeline import process_all


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_a_newer_accepted_file_moves_the_older_answers_of_that_form_into_cu(ws, clock):
    unit = ws.outbox / "SNV"
    dn_workbook(ws.inbox / "SNV" / "lan-1.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    first = names(unit)
    clock.advance(300)
    dn_workbook(ws.inbox / "SNV" / "lan-2.xlsx", dn_info("SNV"), [person("B", gender="?")])
    assert [o.status for o in process_all(ws)] == ["rejected"]
    slips = [n for n in names(unit) if n not in first]
    assert first and slips, "the first receipt and the error slip sit side by side for now"
    clock.advance(300)
    dn_workbook(ws.inbox / "SNV" / "lan-3.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An"), person("Trần Thị Bình", gender="Nữ")])
    assert [o.status for o in process_all(ws)] == ["accepted"]
    current = names(unit)
    assert not set(current) & set(first + slips), "only the newest answer stays in view"
    assert any("Phieu-tiep-nhan" in n for n in current)
    assert names(unit / "cu") == sorted(first + slips)
    outputs = [o for row in ws.ledger.files() for o in row.outputs]
    assert any("/SNV/cu/" in str(o) for o in outputs), "the ledger points to the moved answers"


def test_an_answer_for_another_unit_or_a_first_file_stays_where_it_is(ws):
    dn_workbook(ws.inbox / "SNV" / "a.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    dn_workbook(ws.inbox / "SYT" / "b.xlsx", dn_info("SYT"), [person("Lê Văn Cường")])
    assert [o.status for o in process_all(ws)] == ["accepted", "accepted"]
    assert not (ws.outbox / "SNV" / "cu").exists() and not (ws.outbox / "SYT" / "cu").exists()
