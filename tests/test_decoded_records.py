"""The ledger decodes each current record once: reading the current records again (the campaign
checks, each draft, the reminders) decodes only versions it has not seen, and a unit's new
version replaces its old one; the nominations of a record are derived from it once per config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import workspace

from docflow.config import load
from docflow.models import Record
from docflow.store import Ledger, decoded
from docflow.store.serial import loads
from docflow.validation import awards, nominations

NOW = "2025-12-01T09:00:00"


def accept(ledger: Ledger, unit: str, name: str) -> None:
    file_id = ledger.begin_file(unit, f"{name}.xlsx", f"{unit}-{name}", Path("/work") / name, NOW)
    record = Record("DN", unit, "", {"unit_code": unit, "day": dt.date(2025, 11, 30)},
                    {"Danh sách": [{"name": name}]})
    ledger.finish(file_id, "accepted", NOW, kind="DN", record=record)


def names(ledger: Ledger) -> list[tuple[str, str]]:
    return [(a.record.unit, a.record.tables["Danh sách"][0]["name"]) for a in ledger.current("DN")]


def test_current_records_are_decoded_once_and_a_new_version_replaces_the_old(tmp_path,
                                                                             monkeypatch):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    decoded_texts = []
    monkeypatch.setattr(decoded, "loads", lambda text: decoded_texts.append(text) or loads(text))
    accept(ledger, "SNV", "Nguyễn Văn An")
    accept(ledger, "SYT", "Trần Thị Bình")
    assert names(ledger) == [("SNV", "Nguyễn Văn An"), ("SYT", "Trần Thị Bình")]
    assert len(decoded_texts) == 2
    assert names(ledger) == [("SNV", "Nguyễn Văn An"), ("SYT", "Trần Thị Bình")]
    assert len(decoded_texts) == 2, "read again: nothing decoded again"
    accept(ledger, "SNV", "Lê Văn Cường")
    assert names(ledger) == [("SYT", "Trần Thị Bình"), ("SNV", "Lê Văn Cường")]
    assert len(decoded_texts) == 3, "only the new version decoded"
    assert ledger.current("DN")[1].record.fields["day"] == dt.date(2025, 11, 30)
    ledger.close()


def test_another_ledger_on_the_same_file_reads_the_versions_this_one_stored(tmp_path):
    first, second = Ledger(tmp_path / "ledger.sqlite3"), Ledger(tmp_path / "ledger.sqlite3")
    accept(first, "SNV", "Nguyễn Văn An")
    assert names(second) == [("SNV", "Nguyễn Văn An")]
    accept(first, "SNV", "Lê Văn Cường")
    assert names(second) == [("SNV", "Lê Văn Cường")]
    first.close()
    second.close()


def test_the_nominations_of_a_stored_record_are_derived_once_per_config(tmp_path, monkeypatch):
    path = workspace(tmp_path)
    config = load(path)
    award = config.awards[0]
    record = Record("DN", "SNV", "", {"unit_code": "SNV"}, {"Danh sách": [
        {"name": "Nguyễn Văn An", "kind": "Cá nhân", "award": award.name,
         "birth_date": dt.date(1980, 1, 2)}]})
    made = []
    real = awards._nominations
    monkeypatch.setattr(awards, "_nominations", lambda r, c: made.append(r) or real(r, c))
    first = nominations([record], config)
    assert [(n.name, n.award.code, n.birth_date) for n in first] == [
        ("Nguyễn Văn An", award.code, "1980-01-02")]
    assert nominations([record], config) == first
    assert len(made) == 1, "the same record and config: not derived again"
    reloaded = load(path)
    assert nominations([record], reloaded) == first
    assert len(made) == 2, "another config (a reload): derived again"
    changed = Record("DN", "SNV", "", {"unit_code": "SNV"}, {"Danh sách": [
        {"name": "Trần Thị Bình", "kind": "Cá nhân", "award": award.name}]})
    assert [n.name for n in nominations([changed], reloaded)] == ["Trần Thị Bình"]
