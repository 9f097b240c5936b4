"""Nominations gathered from accepted DN records, and the prize money they carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from docflow.config import Award, Config
from docflow.models import Record
from docflow.text import fold
from docflow.validation.derived import derived

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
    birth_date: str = ""  # ISO, for people: with the folded name, finds the same person later

    @cached_property  # a refresh looks it up several times for every nominee
    def person_key(self) -> str:
        """Who this is across rounds: folded name and birth date (a collective: and its unit)."""
        return person_key(self.name, self.birth_date, self.unit, self.collective)


def person_key(name: str, birth_date: object, unit: str, collective: bool) -> str:
    """The key the award books use for one nominee, from a DN row's values."""
    born = birth_date.isoformat() if hasattr(birth_date, "isoformat") else str(birth_date or "")
    return f"{fold(name)}|{unit}" if collective else f"{fold(name)}|{born}"


def same_award(a: Award, b: Award) -> bool:
    """a == b, identity first: nominations carry their config's own Award, and comparing every
    field of the dataclass for 100,000 nominees took a third of a second per refresh."""
    return a is b or a == b


class NominationPart(tuple):
    """One record's nominations (or some of them), kept with the record: a tuple others may
    hang values made from it on (documents/listing.py keeps its unit's run there), so those
    live exactly as long as the record's version stays current."""


class Nominations(list):
    """A list of nominations that also knows its parts: each record's own, kept with the
    record, so a long list can be walked unit by unit rather than row by row."""

    parts: tuple[NominationPart, ...] = ()


def nominations(records: list[Record], config: Config) -> Nominations:
    """Every nominee of the current DN records, units in registry order, rows in file order."""
    order = {u.code: i for i, u in enumerate(config.units)}
    out, parts = Nominations(), []
    for record in sorted(records, key=lambda r: order.get(r.unit, len(order))):
        part = derived(record, "nominations", config, lambda: _nominations(record, config))
        out += part
        parts.append(part)
    out.parts = tuple(parts)
    return out


def _nominations(record: Record, config: Config) -> NominationPart:
    """The nominees of one record, in file order."""
    out = []
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
            report_file=str(row.get("report_file") or ""),
            birth_date=_iso(row.get("birth_date"))))
    return NominationPart(out)


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


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
    return set(derived(record, "award_keys", None, lambda: _award_keys(record)))


def _award_keys(record: Record) -> frozenset[str]:
    names = {str(r.get("award") or "") for r in record.tables.get(NOMINATION_SHEET, [])}
    return frozenset(fold(n) for n in names)
