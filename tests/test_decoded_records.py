"""The ledger decodes each current record once: reading the current records again (the campaign
checks, each draft, the reminders) decodes only versions it has not seen, and a unit's new
version replaces its old one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docflow.models import Record
from docflow.store import Ledger, decoded
from docflow.store.serial import loads

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
