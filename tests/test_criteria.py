"""Campaign criteria, quotas and duplicate people, as the clerk sees them in the error report."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from builders import CHAIRMAN, PRIME_MINISTER, collective, dn_info, person
from test_validate import submission

from docflow.config import load, parse
from docflow.errors import ConfigError
from docflow.models import Severity
from docflow.validation.validate import validate

ROOT = Path(__file__).resolve().parent / "data"  # the pinned sample config and templates
CONFIG = load(ROOT / "config.toml")
FORM = CONFIG.forms["DN"]


def check(rows, unit="SNV", current=(), config=CONFIG):
    result = validate(submission(dn_info(unit), rows, unit), FORM, config, current)
    return result


def codes(result):
    return [(p.code, p.location) for p in result.problems]


def pm_person(name="A", **kw):
    return person(name, award=PRIME_MINISTER, report_file="bao-cao.pdf", **kw)


def test_prime_ministers_award_for_a_person_needs_an_initiative():
    result = check([pm_person(initiatives=0)])
    assert codes(result) == [("criteria", "Danh sách!J2")]
    (p,) = result.problems
    assert p.expected.startswith("ít nhất 01 sáng kiến")
    assert "phải có sáng kiến được công nhận" in p.message


def test_the_initiative_criterion_applies_to_people_not_collectives():
    row = collective("Phòng A", award=PRIME_MINISTER, report_file="bc.pdf", initiatives=0)
    assert codes(check([row])) == []


def test_a_value_already_wrong_is_not_judged_again_by_a_criterion():
    assert codes(check([pm_person(initiatives="nhiều")])) == [("value.type", "Danh sách!J2")]


def test_quota_flags_every_nomination_beyond_the_limit():
    rows = [pm_person(f"Người {i}", birth_date=dt.date(1980, 1, i + 1)) for i in range(4)]
    assert codes(check(rows)) == [("quota", "Danh sách!H4"), ("quota", "Danh sách!H5")]


def test_quota_counts_the_units_other_current_versions_but_not_the_one_replaced():
    replaced = check([pm_person("Cũ", birth_date=dt.date(1970, 1, 1))]).record
    assert codes(check([pm_person("B"), pm_person("C", birth_date=dt.date(1981, 1, 1))],
                       current=[replaced])) == []
    other_period = type(replaced)(replaced.kind, replaced.unit, "Năm 2024", replaced.fields,
                                  replaced.tables)
    result = check([pm_person("B"), pm_person("C", birth_date=dt.date(1981, 1, 1))],
                   current=[other_period])
    assert codes(result) == [("quota", "Danh sách!H3")]


def test_the_same_person_twice_in_one_file_is_flagged_on_the_second_row():
    rows = [person("Nguyễn Thị Hoà", "Nữ"), person("NGUYỄN THỊ HÒA", "Nữ", award="Giấy khen")]
    result = check(rows)
    assert codes(result) == [("duplicate_person", "Danh sách!C3")]
    assert "dòng 2 của tệp này" in result.problems[0].message


def test_the_same_person_already_nominated_by_another_unit_is_flagged():
    syt = check([person("Lê Văn Cường")], unit="SYT").record
    result = check([person("Lê Văn Cường")], current=[syt])
    assert codes(result) == [("duplicate_person", "Danh sách!C2")]
    assert "(Sở Y tế)" in result.problems[0].message  # the unit by name (issue 18)
    namesake = check([person("Lê Văn Cường", birth_date=dt.date(1991, 2, 3))], current=[syt])
    assert codes(namesake) == []


def test_a_criterion_can_be_a_warning_that_does_not_block():
    raw = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    raw["criteria"].append({"award": CHAIRMAN, "rule": "initiatives >= 2", "field": "initiatives",
                            "message": "Nên có từ 02 sáng kiến.", "severity": "cảnh báo"})
    config = parse(raw, ROOT)
    result = check([person("A", initiatives=1)], config=config)
    assert result.accepted
    assert [(p.code, p.severity) for p in result.problems] == [("criteria", Severity.WARNING)]


@pytest.mark.parametrize("criterion, expected", [
    ({"award": CHAIRMAN, "rule": "sang_kien >= 1", "message": "x"},
     "criteria[1].rule: không có trường sang_kien"),
    ({"award": CHAIRMAN, "rule": "initiatives >=", "message": "x"},
     "criteria[1].rule: biểu thức không đúng cú pháp"),
    ({"award": CHAIRMAN, "rule": "open('x')", "message": "x"}, "criteria[1].rule: chỉ được gọi"),
    ({"award": "Huân chương", "rule": "initiatives >= 1", "message": "x"},
     "criteria[1].award: không có hình thức"),
])
def test_a_bad_criterion_is_a_config_error_at_load_never_a_crash_later(criterion, expected):
    raw = tomllib.loads((ROOT / "config.toml").read_text("utf-8"))
    raw["criteria"].append(criterion)
    with pytest.raises(ConfigError) as info:
        parse(raw, ROOT)
    assert any(expected in p for p in info.value.problems), info.value.problems
