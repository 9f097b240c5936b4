"""Province-wide drafts are remade once per batch from the ledger, never lost in a crash."""

from __future__ import annotations

from builders import collective, dn_info, dn_workbook, person
from docx_reader import full_text

from docflow.store.inbox import waiting
from docflow.pipeline import process_all, process_inbox_file, refresh_aggregates
from docflow.workspace import Workspace

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
PROPOSAL = "_tong-hop/To-trinh-cua-So-Noi-vu-de-nghi-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"


def drop(ws, unit, *names):
    dn_workbook(ws.inbox / unit / "dn.xlsx", dn_info(unit), [person(n) for n in names])


def test_a_burst_marks_the_decision_stale_and_one_refresh_makes_it_with_everyone(ws):
    drop(ws, "SNV", "Nguyễn Văn An")
    drop(ws, "SYT", "Lê Văn Cường")
    drop(ws, "STC", "Phạm Văn Dũng")
    for path in waiting(ws.inbox):
        assert process_inbox_file(path, ws).status == "accepted"
    assert not (ws.outbox / DECISION).exists()
    assert ws.ledger.stale() == {"DN:BKUBND": 3}
    made = refresh_aggregates(ws)
    assert [p.name for p in made] == [DECISION.split("/")[1], PROPOSAL.split("/")[1]]
    text = full_text(ws.outbox / DECISION)
    assert all(n in text for n in ("Nguyễn Văn An", "Lê Văn Cường", "Phạm Văn Dũng"))
    assert ws.ledger.stale() == {}
    assert refresh_aggregates(ws) == []  # nothing left to remake


def test_a_crash_before_the_refresh_is_made_good_at_the_next_start(ws, clock):
    drop(ws, "SNV", "Nguyễn Văn An")
    process_inbox_file(next(iter(waiting(ws.inbox))), ws)
    ws.close()  # the service stops before the refresh
    again = Workspace.open(ws.config, clock, converter=None)
    try:
        process_all(again)
    finally:
        again.close()
    assert "Nguyễn Văn An" in full_text(ws.outbox / DECISION)


def test_an_acceptance_during_a_refresh_keeps_the_draft_stale(ws):
    drop(ws, "SNV", "Nguyễn Văn An")
    process_inbox_file(next(iter(waiting(ws.inbox))), ws)
    (key, version), = ws.ledger.stale().items()
    drop(ws, "SYT", "Lê Văn Cường")  # accepted while a refresher works on `version`
    process_inbox_file(next(iter(waiting(ws.inbox))), ws)
    ws.ledger.refreshed(key, version, [], "2025-12-01T09:30:00")
    assert ws.ledger.stale() == {key: version + 1}


def test_a_units_own_documents_come_with_its_receipt(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [collective("Phòng A", award="Giấy khen")])
    outcome = process_inbox_file(next(iter(waiting(ws.inbox))), ws)
    assert any(p.name == "Quyet-dinh-tang-Giay-khen.docx" for p in outcome.outputs)
    assert ws.ledger.stale() == {}
