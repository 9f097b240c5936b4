"""Judge one nomination against the eligibility rules in force, on what the register holds."""

from __future__ import annotations

import datetime as dt

from docflow.config import EligibilityRule
from docflow.history.models import PersonHistory, Seen
from docflow.text import fold, short_date


def eligibility_failures(rules: tuple[EligibilityRule, ...], award: str, collective: bool,
                         seen: Seen | None, round_year: int,
                         day: dt.date) -> list[tuple[EligibilityRule, str]]:
    """Each rule for this award in force on `day` that the register does not satisfy, with why."""
    subject = "Tập thể" if collective else "Cá nhân"
    history = seen.history if seen else None
    failed = []
    for rule in rules:
        if fold(rule.award) != fold(award) or not rule.in_force(day):
            continue
        if rule.subject and rule.subject != subject:
            continue
        why = _JUDGES[rule.kind](rule, history, round_year)
        if why:
            failed.append((rule, why))
    return failed


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def _consecutive(rule: EligibilityRule, h: PersonHistory | None, round_year: int) -> str:
    last = round_year - rule.ending_offset
    window = list(range(last - rule.years + 1, last + 1))
    have = [y for y in (h.years_with(rule.titles) if h else []) if y <= last]
    missing = [y for y in window if y not in have]
    if not missing:
        return ""
    held = f"sổ có {_years(have)}" if have else "sổ chưa có năm nào"
    return f"{rule.label} ({window[0]}–{last}): {held}; thiếu {_years(missing)}"


def _count(rule: EligibilityRule, h: PersonHistory | None, round_year: int) -> str:
    last = round_year - rule.ending_offset
    first = last - rule.years + 1
    have = [y for y in (h.years_with(rule.titles) if h else []) if first <= y <= last]
    if len(have) >= rule.count:
        return ""
    held = f"sổ có {_years(have)}" if have else "sổ chưa có lần nào"
    return f"{rule.label} ({first}–{last}): {held}; cần {rule.count} lần"


def _ratings(rule: EligibilityRule, h: PersonHistory | None, round_year: int) -> str:
    last = round_year - rule.ending_offset
    window = range(last - rule.years + 1, last + 1)
    wanted = {fold(r) for r in rule.ratings}
    ratings = h.ratings if h else {}
    short = [y for y in window if fold(ratings.get(y, "")) not in wanted]
    if not short:
        return ""
    found = "; ".join(f"{y}: {ratings[y]}" if y in ratings else f"{y}: chưa có xếp loại"
                      for y in short)
    return f"{rule.label} ({window[0]}–{last}): {found}"


def _prior(rule: EligibilityRule, h: PersonHistory | None, round_year: int) -> str:
    earlier = [y for y in (h.years_with(rule.titles) if h else [])
               if y <= round_year - rule.ending_offset]
    return "" if earlier else f"{rule.label}: sổ chưa có {' hoặc '.join(rule.titles)}"


def _not_twice(rule: EligibilityRule, h: PersonHistory | None, round_year: int) -> str:
    year = round_year - rule.ending_offset
    same = h.entries_for(rule.award, year) if h else []
    if not same:
        return ""
    first = same[0]
    when = f" ngày {short_date(first.decision_date)}" if first.decision_date else ""
    return (f"{rule.label}: sổ đã có {first.title} năm {year} "
            f"(Quyết định số {first.decision_number}{when})")


_JUDGES = {"consecutive": _consecutive, "count": _count, "ratings": _ratings, "prior": _prior,
           "not_twice": _not_twice}
