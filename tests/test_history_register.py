"""Who is who in the award register: folded name + birth date, through the unit's lineage; the
same register in a SQLite file or in PostgreSQL (several machines), and with a PostgreSQL ledger
never a SQLite file on the share."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from docflow import cli
from docflow.config import load
from docflow.errors import LedgerError
from docflow.history import Register, lineage, unit_named_in
from docflow.workspace import Workspace
from docflow.history.match import Candidate, decide

from builders import DATA as ROOT  # the pinned sample config
from builders import workspace

BORN = dt.date(1985, 3, 12)
OTHER = dt.date(1990, 7, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request, tmp_path):
    """The register in a SQLite file, or in a fresh database on the test PostgreSQL."""
    target = tmp_path / "so.sqlite3" if request.param == "sqlite" else \
        request.getfixturevalue("postgres").new_database()
    reg = Register(target, load(ROOT / "config.toml"))
    yield reg
    reg.close()


def _add(reg: Register, name: str, unit: str, year: int, born: dt.date | None = BORN,
         collective: bool = False) -> str:
    status, _ = reg.add_award(name=name, born=None if collective else born,
                              collective=collective, unit=unit, title="Chiến sĩ thi đua cơ sở",
                              year=year, decision_number=f"{year}/QĐ-{unit}",
                              decision_date=dt.date(year, 12, 20))
    return status


# (first row: name, unit, born) → (second row: name, unit, born) → how the second is taken
CASES = [
    ("same name and birth, same unit", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn An", "SYT", BORN), "matched"),
    ("old and new tone placement", ("Nguyễn Thị Thuỷ", "SNV", BORN),
     ("Nguyễn Thị Thủy", "SNV", BORN), "matched"),
    ("unit renamed between two years (STTTT → SKHCN)", ("Lê Văn Bình", "STTTT", BORN),
     ("Lê Văn Bình", "SKHCN", BORN), "matched"),
    ("same name and birth in unrelated units", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn An", "STC", BORN), "pending"),
    ("same name, other birth date, same unit", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn An", "SYT", OTHER), "pending"),
    ("same name, birth date missing, same unit", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn An", "SYT", None), "pending"),
    ("same name, other birth date, unrelated unit: another person", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn An", "STC", OTHER), "added"),
    ("another name altogether", ("Nguyễn Văn An", "SYT", BORN),
     ("Nguyễn Văn Ân", "SYT", BORN), "added"),
]


@pytest.mark.parametrize("first, second, expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_a_second_row_is_matched_only_when_sure(register, first, second, expected):
    assert _add(register, first[0], first[1], 2023, first[2]) == "added"
    assert _add(register, second[0], second[1], 2024, second[2]) == expected


def test_an_uncertain_row_is_listed_with_its_reason_and_never_attached(register):
    _add(register, "Nguyễn Văn An", "SYT", 2023)
    _add(register, "Nguyễn Văn An", "STC", 2024)
    [doubt] = register.pending()
    assert doubt["reason"] == "cùng họ tên và ngày sinh nhưng ở đơn vị không liên quan (SYT)"
    [person] = register.history("Nguyễn Văn An")
    assert [e.year for e in person.entries] == [2023]


def test_two_people_with_one_name_and_birth_in_one_unit_leave_the_row_in_doubt():
    family = frozenset({"SYT"})
    twins = [Candidate(1, BORN, family), Candidate(2, BORN, family)]
    found = decide(twins, BORN, family, collective=False)
    assert (found.status, found.candidates) == ("uncertain", (1, 2))
    assert found.reason == "nhiều người cùng họ tên và ngày sinh trong cùng đơn vị"


def test_a_collective_is_its_name_within_its_units_lineage(register):
    assert _add(register, "Phòng Tổ chức cán bộ", "SYT", 2023, collective=True) == "added"
    assert _add(register, "Phòng Tổ chức cán bộ", "SYT", 2024, collective=True) == "matched"
    assert _add(register, "Phòng Tổ chức cán bộ", "STC", 2024, collective=True) == "added"


def test_the_same_row_twice_is_known_not_added(register):
    _add(register, "Nguyễn Văn An", "SYT", 2023)
    assert _add(register, "Nguyễn Văn An", "SYT", 2023) == "known"


def test_lineage_follows_successor_links_both_ways(tmp_path):
    config = load(ROOT / "config.toml")
    assert lineage(config, "STTTT") == lineage(config, "SKHCN") == {"STTTT", "SKHCN"}
    assert lineage(config, "SYT") == {"SYT"}
    merged = replace(config, units=tuple(
        replace(u, successor="UBND-TPTN") if u.code == "UBND-SONGCONG" else u
        for u in config.units))
    assert lineage(merged, "UBND-SONGCONG") == {"UBND-SONGCONG", "UBND-TPTN"}


def test_a_workplace_naming_a_unit_of_the_registry_is_that_units(tmp_path):
    config = load(ROOT / "config.toml")
    assert unit_named_in(config, "Phòng Kế hoạch, Sở Thông tin và Truyền thông", "SNV") == "STTTT"
    assert unit_named_in(config, "Phòng Tổ chức cán bộ", "SNV") == "SNV"


def test_with_a_postgresql_ledger_the_register_is_in_postgresql_shared_by_the_campaigns(
        tmp_path, postgres):
    url = postgres.new_database()
    # campaign 1 keeps its ledger in that database and the register beside it (its own schema:
    # both have a `pending` table); campaign 2 names the same register with [register] url
    settings = {"dot-1": f'\n[ledger]\nurl = "{url}"\n',
                "dot-2": f'\n[register]\nurl = "{url}"\n'}
    opened = []
    for campaign, extra in settings.items():
        (tmp_path / campaign).mkdir()
        path = workspace(tmp_path / campaign)
        path.write_text(path.read_text("utf-8") + extra, "utf-8")
        opened.append(Workspace.open(load(path), converter=None))
    first, second = opened
    assert first.config.register_target() == second.config.register_target() == url
    _add(first.register(), "Nguyễn Văn An", "SYT", 2023)
    [person] = second.register().history("Nguyễn Văn An")
    assert [(e.year, e.decision_number) for e in person.entries] == [(2023, "2023/QĐ-SYT")]
    assert first.ledger.pending(1) is None  # the ledger's own `pending` is untouched
    assert not list(tmp_path.rglob("so-khen-thuong.sqlite3"))  # no SQLite file on the share
    for ws in opened:
        ws.close()


def test_a_postgresql_ledger_takes_the_register_along_unless_a_file_is_named(tmp_path):
    path = workspace(tmp_path)
    ledger_url = "postgresql://docflow@may-csdl/dot1"
    path.write_text(path.read_text("utf-8") + f'\n[ledger]\nurl = "{ledger_url}"\n', "utf-8")
    assert load(path).register_target() == ledger_url
    named = path.read_text("utf-8") + '\n[register]\npath = "/var/lib/docflow/so.sqlite3"\n'
    path.write_text(named, "utf-8")
    assert load(path).register_target() == Path("/var/lib/docflow/so.sqlite3")


def test_the_offices_sqlite_register_moves_to_postgresql_and_is_never_silently_left_behind(
        tmp_path, postgres, capsys):
    config_path = workspace(tmp_path)
    ws = Workspace.open(load(config_path), converter=None)  # the ledger and register in SQLite
    _add(ws.register(), "Nguyễn Văn An", "SYT", 2023)
    ws.close()
    url = postgres.new_database()
    with_ledger = config_path.read_text("utf-8") + f'\n[ledger]\nurl = "{url}"\n'

    config_path.write_text(with_ledger, "utf-8")  # switched over before copying: refused
    ws = Workspace.open(load(config_path), converter=None)
    with pytest.raises(LedgerError) as refused:
        ws.register()
    ws.close()
    assert f"docflow ledger-copy --register --to {url}" in str(refused.value)

    assert cli.main(["--config", str(config_path), "ledger-copy", "--register", "--to", url]) == 0
    assert "persons: 1 dòng" in capsys.readouterr().out
    ws = Workspace.open(load(config_path), converter=None)
    [person] = ws.register().history("Nguyễn Văn An")
    assert [(e.year, e.decision_number) for e in person.entries] == [(2023, "2023/QĐ-SYT")]
    ws.close()
    assert (tmp_path / "so-khen-thuong.sqlite3").is_file()  # the old file is kept as it was
