"""Nominations gathered from accepted DN records, and the prize money they carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from docflow.config import Award, Config
from docflow.models import Record
from docflow.text import fold

NOMINATION_SHEET = "Danh sách"


@dataclass(frozen=True)
class Nomination:
    """One accepted nominee (a collective or a person) for one award."""

    unit: str
    collective: bool
    name: str
    award: Award
    workplace: str = ""
    position: str = ""
    gender: str = ""
    achievements: str = ""
    initiatives: int = 0
    report_file: str = ""


def nominations(records: list[Record], config: Config) -> list[Nomination]:
    """Every nominee of the current DN records, units in registry order, rows in file order."""
    order = {u.code: i for i, u in enumerate(config.units)}
    out: list[Nomination] = []
    for record in sorted(records, key=lambda r: order.get(r.unit, len(order))):
        for row in record.tables.get(NOMINATION_SHEET, []):
            award = config.award(str(row.get("award") or ""))
            if award is None:
                continue
            out.append(Nomination(
                unit=record.unit, collective=fold(str(row.get("kind"))) == fold("Tập thể"),
                name=str(row.get("name") or ""), award=award,
                workplace=str(row.get("workplace") or ""), position=str(row.get("position") or ""),
                gender=str(row.get("gender") or ""), achievements=str(row.get("achievements") or ""),
                initiatives=int(row.get("initiatives") or 0),
                report_file=str(row.get("report_file") or "")))
    return out


def prize(award: Award, collective: bool, config: Config, day: dt.date) -> int:
    """Coefficient × mức lương cơ sở on `day`, rounded as config says."""
    coefficient = award.coefficient_on(day, collective)
    raw = Decimal(str(coefficient)) * config.base_salary_on(day)
    step = Decimal(config.money.round_to)
    mode = ROUND_CEILING if config.money.rounding == "up" else ROUND_HALF_UP
    return int((raw / step).quantize(Decimal(1), rounding=mode) * step)


def award_keys_in(record: Record | None) -> set[str]:
    """Folded names of the awards a DN record nominates for."""
    if record is None:
        return set()
    names = {str(r.get("award") or "") for r in record.tables.get(NOMINATION_SHEET, [])}
    return {fold(n) for n in names}
