"""Drafts follow the configuration: a changed coefficient, Nơi nhận line or template reaches every
draft it affects, by `run`, by `refresh` and while `watch` runs; each draft records the config and
templates versions it was made from, and `status` shows them."""

from __future__ import annotations

from dataclasses import replace

from builders import collective, dn_info, dn_workbook, person
from docx import Document
from docx_reader import full_text
from test_watch_live import FAST, open_workspace, service, wait_for

from docflow.cli import main
from docflow.config import load
from docflow.pipeline import process_all
from docflow.watch.status import status_text
from docflow.workspace import Workspace

DECISION = "_tong-hop/Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx"
GIAY_KHEN = "SNV/Quyet-dinh-tang-Giay-khen.docx"


def nominate(ws):
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"),
                [person("Nguyễn Văn An"), collective("Phòng Tổ chức cán bộ", award="Giấy khen")])
    assert [o.status for o in process_all(ws)] == ["accepted"]


def edit_config(ws, old: str, new: str) -> None:
    path = ws.config.root / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reopen(ws, clock) -> Workspace:
    ws.close()
    return Workspace.open(load(ws.config.root / "config.toml"), clock, converter=None)


def test_run_after_a_config_change_remakes_the_drafts_it_affects(ws, clock):
    nominate(ws)
    assert "3.510.000 đồng" in full_text(ws.outbox / DECISION)
    assert "1.410.000 đồng" in full_text(ws.outbox / GIAY_KHEN)
    edit_config(ws, "coefficient_individual = 1.5", "coefficient_individual = 2.0")
    edit_config(ws, "coefficient_collective = 0.6", "coefficient_collective = 0.8")
    edit_config(ws, '"Trung tâm Thông tin tỉnh",', '"Trung tâm Thông tin tỉnh",\n  "Sở Tài chính",')
    ws = reopen(ws, clock)
    try:
        assert process_all(ws) == []  # no file to process, yet the drafts are remade
        decision = full_text(ws.outbox / DECISION)
        assert "4.680.000 đồng (2,0 × mức lương cơ sở 2.340.000 đồng)" in decision
        assert "- Sở Tài chính;" in decision
        assert "1.880.000 đồng (0,8 × mức lương cơ sở 2.340.000 đồng = 1.872.000 đồng, làm " \
            "tròn theo quy định)" in full_text(ws.outbox / GIAY_KHEN)
        assert ws.ledger.stale() == {}
        made = ws.ledger.drafts()
        assert {made[k]["config"] for k in ("DN:BKUBND", "U:DN:SNV")} == {ws.config.version}
    finally:
        ws.close()


def test_an_unchanged_config_remakes_nothing(ws):
    nominate(ws)
    before = (ws.outbox / DECISION).stat().st_mtime_ns
    assert process_all(ws) == [] and ws.ledger.stale() == {}
    assert (ws.outbox / DECISION).stat().st_mtime_ns == before


def test_a_template_change_remakes_only_the_drafts_made_with_it(ws, clock):
    nominate(ws)
    template = ws.config.root / "templates" / "quyet-dinh-giay-khen.docx"
    doc = Document(template)
    doc.add_paragraph("Mẫu Giấy khen sửa lần 2.")
    doc.save(template)
    ws = reopen(ws, clock)
    try:
        decision_before = (ws.outbox / DECISION).stat().st_mtime_ns
        process_all(ws)
        assert "Mẫu Giấy khen sửa lần 2." in full_text(ws.outbox / GIAY_KHEN)
        assert (ws.outbox / DECISION).stat().st_mtime_ns == decision_before
    finally:
        ws.close()


def test_refresh_remakes_every_draft_and_status_shows_their_versions(ws, capsys):
    nominate(ws)
    config_path = ws.config.root / "config.toml"
    version = ws.config.version
    ws.close()
    assert main(["--config", str(config_path), "refresh"]) == 0
    out = capsys.readouterr().out
    assert "Quyet-dinh-tang-Bang-khen-cua-Chu-tich-UBND-tinh.docx" in out
    assert "SNV/Quyet-dinh-tang-Giay-khen.docx" in out
    assert f"theo cấu hình phiên bản {version}" in out
    text = status_text(load(config_path))
    assert f"Dự thảo (cấu hình đang dùng: phiên bản {version}):" in text
    line = next(l for l in text.splitlines() if "Bằng khen của Chủ tịch UBND tỉnh" in l)
    assert f"theo cấu hình {version}, mẫu Word " in line and "cần lập lại" not in line
    edit_config(ws, "coefficient_individual = 1.5", "coefficient_individual = 2.0")
    line = next(l for l in status_text(load(config_path)).splitlines()
                if "Bằng khen của Chủ tịch UBND tỉnh" in l)
    assert line.endswith("cần lập lại.")


def before_the_announced_rise(ws) -> Workspace:
    """These tests run on today's clock: keep the base salary of 2.340.000 đồng in force, so
    the amounts below do not depend on the day the suite runs."""
    path = ws.config.root / "config.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[[money.base_salaries]]  # đã công bố tăng")
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2:], encoding="utf-8")
    ws.close()
    return _reopen_fast(ws)


def test_a_config_change_while_watch_runs_reaches_the_drafts(tmp_path):
    ws = before_the_announced_rise(open_workspace(tmp_path))
    config_path = ws.config.root / "config.toml"
    try:
        with service(ws, config_path=config_path):
            dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
            decision = ws.outbox / DECISION
            wait_for(lambda: decision.exists() and "3.510.000" in full_text(decision), 60,
                     "the decision was not made")
            edit_config(ws, "coefficient_individual = 1.5", "coefficient_individual = 2.0")
            wait_for(lambda: "4.680.000 đồng" in full_text(decision), 60,
                     "the decision did not follow the new coefficient")
    finally:
        ws.close()


def test_a_config_edited_while_watch_was_stopped_reaches_the_drafts_at_start(tmp_path):
    ws = before_the_announced_rise(open_workspace(tmp_path))
    config_path = ws.config.root / "config.toml"
    dn_workbook(ws.inbox / "SNV" / "dn.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    process_all(ws)
    decision = ws.outbox / DECISION
    assert "3.510.000 đồng" in full_text(decision)
    ws.close()
    edit_config(ws, "coefficient_individual = 1.5", "coefficient_individual = 2.0")
    ws = _reopen_fast(ws)
    try:
        with service(ws, config_path=config_path):
            wait_for(lambda: "4.680.000 đồng" in full_text(decision), 60,
                     "the drafts were not remade at start")
    finally:
        ws.close()


def _reopen_fast(ws) -> Workspace:
    """The same workspace with the edited config, with the live tests' quick watch settings."""
    config = load(ws.config.root / "config.toml")
    config = replace(config, watch=replace(config.watch, **FAST))
    return Workspace.open(config, converter=None)


def test_the_first_making_of_a_draft_is_not_reported_as_a_config_change(ws, clock, caplog):
    caplog.set_level("INFO", logger="docflow")
    nominate(ws)
    assert "đã đổi" not in caplog.text  # the drafts were simply made for the first time
    edit_config(ws, "coefficient_individual = 1.5", "coefficient_individual = 2.0")
    ws = reopen(ws, clock)
    try:
        process_all(ws)
        # the Chairman's decision and the unit's Giấy khen decision were made from the old config
        assert "Đánh dấu cần lập lại 2 văn bản (cấu hình hoặc mẫu Word đã đổi)." in caplog.text
    finally:
        ws.close()


def test_the_units_own_decision_is_made_after_its_receipt_is_out_and_recorded_as_a_draft(
        ws, monkeypatch):
    import docflow.drafts

    seen = []
    real = docflow.drafts.deliver_all

    def deliver(docs, ws_):
        if any(d.target == GIAY_KHEN for d in docs):  # the unit's decision is being made now
            seen.append(sorted(p.name for p in (ws.outbox / "SNV").glob("*Phieu-tiep-nhan*")))
        return real(docs, ws_)
    monkeypatch.setattr(docflow.drafts, "deliver_all", deliver)
    nominate(ws)
    assert seen and seen[0], "the receipt was not out when the unit's decision was made"
    assert "Phòng Tổ chức cán bộ" in full_text(ws.outbox / GIAY_KHEN)
    assert "U:DN:SNV" in ws.ledger.drafts() and not ws.ledger.stale().get("U:DN:SNV")
    (row,) = ws.ledger.files()
    assert str(ws.outbox / GIAY_KHEN) in row.outputs  # the file's answers name it too
