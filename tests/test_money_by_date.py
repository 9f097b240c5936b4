"""Prize money uses the base salary and coefficients in force on the decision's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from docflow.config import Coefficient, load, to_confirm
from docflow.validation import prize

from builders import ROOT


@pytest.fixture(scope="module")
def config():
    return load(ROOT / "config.toml")


@pytest.mark.parametrize("day, base, giay_khen_person", [
    (dt.date(2024, 6, 30), 1_800_000, 540_000),
    (dt.date(2024, 7, 1), 2_340_000, 710_000),     # 702.000 rounded up to tens of thousands
    (dt.date(2026, 6, 30), 2_340_000, 710_000),
    (dt.date(2026, 7, 1), 2_527_200, 760_000),     # the announced rise, still to be confirmed
])
def test_the_base_salary_in_force_on_the_decisions_date(config, day, base, giay_khen_person):
    assert config.base_salary_on(day) == base
    assert prize(config.award("Giấy khen"), False, config, day) == giay_khen_person


def test_the_announced_rise_is_listed_for_the_office_to_confirm(config):
    assert "money.base_salaries: mức 2.527.200 đồng từ 01/07/2026 chưa được xác nhận " \
           "(confirmed = false)" in to_confirm(config)


def test_a_coefficient_changed_by_a_decree_applies_from_its_date(config):
    award = replace(config.award("Bằng khen của Chủ tịch UBND tỉnh"), coefficients=(
        Coefficient(dt.date(2025, 7, 1), collective=3.5, individual=2.0,
                    basis="Nghị định số 152/2025/NĐ-CP"),))
    assert award.coefficient_on(dt.date(2025, 6, 30), collective=False) == 1.5
    assert award.coefficient_on(dt.date(2025, 7, 1), collective=False) == 2.0
    assert prize(award, True, config, dt.date(2025, 7, 1)) == 8_190_000


def test_coefficients_by_date_are_read_from_config(tmp_path):
    text = (ROOT / "config.toml").read_text("utf-8").replace(
        'coefficient_individual = 0.3\n',
        'coefficient_individual = 0.3\n'
        'coefficients = [{ effective_from = 2025-07-01, collective = 0.8, individual = 0.4 }]\n', 1)
    (tmp_path / "config.toml").write_text(text, "utf-8")
    award = load(tmp_path / "config.toml").award("Giấy khen")
    assert award.coefficient_on(dt.date(2025, 7, 1), collective=True) == 0.8
