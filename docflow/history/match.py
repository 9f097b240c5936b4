"""Tie an incoming name to the register: one person surely, or a doubt for the office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docflow.history.models import Match
from docflow.text import short_date


@dataclass(frozen=True)
class Candidate:
    """A person of the register with the same folded name: birth date and the units seen at."""

    person_id: int
    born: dt.date | None
    units: frozenset[str]


def decide(candidates: list[Candidate], born: dt.date | None, family: frozenset[str],
           collective: bool) -> Match:
    """Matched when exactly one candidate has the same birth date in the unit's lineage.

    Uncertain (listed for the office): the same name and birth date only in unrelated units; two
    such people in the lineage; the same name in the lineage with a missing or different birth
    date. New: nobody of that name, or only people of other units with other birth dates.
    """
    near = [c for c in candidates if c.units & family]
    if collective:  # a collective is its name within its unit's lineage
        if len(near) == 1:
            return Match("matched", near[0].person_id)
        if near:
            return _doubt(near, "nhiều tập thể cùng tên trong cùng đơn vị")
        return Match("new")
    same = [c for c in near if born is not None and c.born == born]
    if len(same) == 1:
        return Match("matched", same[0].person_id)
    if same:
        return _doubt(same, "nhiều người cùng họ tên và ngày sinh trong cùng đơn vị")
    elsewhere = [c for c in candidates if born is not None and c.born == born]
    if elsewhere:
        units = ", ".join(sorted(u for c in elsewhere for u in c.units))
        return _doubt(elsewhere,
                      f"cùng họ tên và ngày sinh nhưng ở đơn vị không liên quan ({units})")
    if near:
        births = ", ".join(short_date(c.born) if c.born else "không có ngày sinh" for c in near)
        mine = short_date(born) if born else "không có ngày sinh"
        return _doubt(near, f"cùng họ tên trong cùng đơn vị nhưng ngày sinh khác ({mine}; sổ "
                      f"có: {births})")
    return Match("new")


def _doubt(candidates: list[Candidate], reason: str) -> Match:
    return Match("uncertain", None, tuple(c.person_id for c in candidates), reason)
