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
