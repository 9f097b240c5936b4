"""Links and subfolders in a unit's folder (issue 18, items 4 and 10)."""

from __future__ import annotations

import os

from builders import dn_info, dn_workbook, person

from docflow.pipeline import process_all
from docflow.watch.settle import Gate


def syt_file(ws):
    return dn_workbook(ws.inbox / "SYT" / "de-nghi.xlsx", dn_info("SYT"),
                       [person("Lê Văn Cường")])


def test_a_link_to_another_units_file_is_refused_and_not_read(ws):
    target = syt_file(ws)
    process_all(ws)  # SYT's file accepted and archived
    archived = next(ws.state("archive").rglob("de-nghi.xlsx"))
    (ws.inbox / "SNV").mkdir()
    os.symlink(archived, ws.inbox / "SNV" / "cua-so-y-te.xlsx")
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.problems] == ["intake.link"]
    slip = next((ws.outbox / "SNV").glob("*Phieu-bao-loi*.txt")).read_text(encoding="utf-8")
    assert "là một liên kết (symlink)" in slip
    assert "Lê Văn Cường" not in slip
    # the link itself is kept as received, in the rejected area; the target is untouched
    kept = next(ws.state("rejected").rglob("cua-so-y-te.xlsx"))
    assert kept.is_symlink() and archived.is_file()
    assert not target.exists()


def test_a_broken_link_is_answered_too(ws):
    (ws.inbox / "SNV").mkdir()
    os.symlink("/etc/shadow-does-not-exist", ws.inbox / "SNV" / "x.xlsx")
    (outcome,) = process_all(ws)
    assert outcome.status == "rejected" and outcome.problems[0].code == "intake.link"


def test_the_watch_gate_takes_a_link_without_following_it(tmp_path):
    link = tmp_path / "x.xlsx"
    os.symlink("/nonexistent", link)
    gate = Gate(2.0)
    gate.notice(link)
    assert gate.due(0.0) == []
    assert gate.due(3.0) == [link]


def test_a_file_in_a_subfolder_is_answered_once_kept_and_counted_by_status(ws, capsys):
    from docflow.watch.status import status_text

    old = dn_workbook(ws.inbox / "SNV" / "ban cũ" / "de-nghi.xlsx", dn_info("SNV"),
                      [person("Nguyễn Văn An")])
    (outcome,) = process_all(ws)
    assert (outcome.status, outcome.unit, outcome.name) == ("nested", "SNV", "ban cũ/de-nghi.xlsx")
    notice = outcome.outputs[0]
    assert notice.parent == ws.outbox / "SNV"
    text = notice.read_text(encoding="utf-8")
    assert "Tệp “ban cũ/de-nghi.xlsx” nằm trong một thư mục con của inbox/SNV/" in text
    assert "hãy chép tệp ra thư mục inbox/SNV/" in text
    assert old.exists() and ws.ledger.files() == []
    assert process_all(ws) == []  # told once, not at every run
    assert "Có 1 tệp nằm trong thư mục con của thư mục đơn vị" in status_text(ws.config)


def test_a_link_to_a_folder_inside_a_unit_folder_is_refused_not_walked(ws):
    syt_file(ws)
    (ws.inbox / "SNV").mkdir()
    os.symlink(ws.inbox / "SYT", ws.inbox / "SNV" / "y-te")
    outcomes = sorted(process_all(ws), key=lambda o: o.unit)
    assert [(o.unit, o.status) for o in outcomes] == [("SNV", "rejected"), ("SYT", "accepted")]
    assert outcomes[0].problems[0].code == "intake.link"
    assert ws.ledger.files("accepted")[0].unit == "SYT"


def test_a_file_that_changes_after_it_was_taken_is_received_again_as_a_new_version(ws, clock):
    """The sender's slow copy went on writing into the file docflow had already taken."""
    from docflow.store import requeue_changed

    first = dn_workbook(ws.inbox / "SNV" / "de-nghi.xlsx", dn_info("SNV"),
                        [person("Nguyễn Văn An")])
    (outcome,) = process_all(ws)
    assert outcome.status == "accepted"
    stored = next(ws.state("archive").rglob("de-nghi.xlsx"))
    dn_workbook(stored, dn_info("SNV"), [person("Nguyễn Văn An"), person("Trần Thị Bình")])
    clock.advance(120)
    assert requeue_changed(ws.config, ws.ledger, ws.clock(), writing=lambda paths: set(paths)) == [], "still being written"
    ((unit, name, again),) = requeue_changed(ws.config, ws.ledger, ws.clock())
    assert (unit, name, again) == ("SNV", "de-nghi.xlsx", first)
    assert requeue_changed(ws.config, ws.ledger, ws.clock()) == [], "put back once"
    clock.advance(60)
    (second,) = process_all(ws)
    assert second.status == "accepted"
    (current,) = ws.ledger.current("DN")
    assert [r["name"] for r in current.record.tables["Danh sách"]] == [
        "Nguyễn Văn An", "Trần Thị Bình"]
    assert stored.exists(), "the stored copy stays"
