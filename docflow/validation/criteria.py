"""Campaign rules on nomination rows: criteria expressions, quotas, the same person nominated twice."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from docflow.validation.awards import NOMINATION_SHEET
from docflow.validation.derived import derived
from docflow.config import Config, Criterion
from docflow.config import FormSpec
from docflow.models import Problem, RawRow, Record, Severity, Submission, rows_by_number
from docflow.config import Rule, compile_rule
from docflow.text import fold, short_date
from docflow.values import display, is_blank

SHEET = NOMINATION_SHEET  # the nomination list the criteria judge


@lru_cache(maxsize=256)
def _rule(source: str, known: frozenset[str]) -> Rule:
    return compile_rule(source, set(known))


def criteria_problems(sub: Submission, record: Record, form: FormSpec,
                      config: Config) -> list[Problem]:
    """Each nomination row against the criteria of its award and subject."""
    known = frozenset(f.key for _, f in form.all_fields())
    problems = []
    raw_rows = rows_by_number(sub.tables.get(SHEET, []))
    for row in record.tables.get(SHEET, []):
        raw = raw_rows.get(row["_row"])
        award = config.award(str(row.get("award") or ""))
        if raw is None or award is None:
            continue
        for crit in config.criteria:
            if fold(crit.award) != fold(award.name) or not _subject_matches(crit, row):
                continue
            rule = _rule(crit.rule, known)
            if _has_invalid(rule, row, raw) or rule({**record.fields, **row}):
                continue
            problems.append(_row_problem(raw, crit.field or "award", form, "criteria",
                                         crit.message, crit.expected or crit.rule,
                                         Severity(crit.severity)))
    return problems


def campaign_problems(sub: Submission, record: Record, others: list[Record], form: FormSpec,
                      config: Config) -> list[Problem]:
    """Quotas per unit and award, and people nominated twice, across the campaign."""
    if record.kind != "DN":
        return []
    raw_rows = rows_by_number(sub.tables.get(SHEET, []))
    rows = [r for r in record.tables.get(SHEET, []) if r["_row"] in raw_rows]
    problems = _quota_problems(rows, raw_rows, record, others, form, config)
    if config.checks.duplicate_person:
        problems += _duplicate_people(rows, raw_rows, record, others, form, config)
    return problems


def _quota_problems(rows: list, raws: Mapping[int, RawRow], record: Record, others: list[Record], form: FormSpec,
                    config: Config) -> list[Problem]:
    problems = []
    for quota in config.quotas:
        key = fold(quota.award)
        earlier = sum(1 for other in others if other.unit == record.unit
                      for r in other.tables.get(SHEET, []) if fold(str(r.get("award"))) == key)
        counted = [(row, raws[row["_row"]]) for row in rows
                   if fold(str(row.get("award") or "")) == key]
        if earlier + len(counted) <= quota.per_unit:
            continue
        # Name every row counted, so the unit sees which ones to drop, not only the last.
        where = "các dòng " + ", ".join(str(raw.row) for _, raw in counted)
        if earlier:
            where += f" và {earlier} trường hợp trong bản đã tiếp nhận trước"
        for row, raw in counted[max(0, quota.per_unit - earlier):]:
            problems.append(_row_problem(
                raw, "award", form, "quota",
                f"Vượt số lượng: đơn vị đề nghị {quota.award} {earlier + len(counted)} trường "
                f"hợp ({where}), quá {quota.per_unit} trường hợp.",
                f"tối đa {quota.per_unit} trường hợp mỗi đơn vị"))
    return problems


def _duplicate_people(rows: list, raws: Mapping[int, RawRow], record: Record,
                      others: list[Record], form: FormSpec, config: Config) -> list[Problem]:
    # each row of the file looked up in every other record's people (kept per record), not
    # every person of the campaign gathered again for one more file
    people = [(other, derived(other, "people", None, lambda other=other: _people(other)))
              for other in others]
    problems, here = [], {}
    for row in rows:
        key = _person_key(row)
        if not key:
            continue
        where = next((_unit_name(other, config) for other, keys in people if key in keys),
                     None) or here.get(key)
        if where:
            problems.append(_row_problem(
                raws[row["_row"]], "name", form, "duplicate_person",
                f"{row['name']} (sinh {short_date(row['birth_date'])}) đã được đề nghị trong "
                f"phong trào này ({where}).", "mỗi người chỉ được đề nghị một lần"))
        here.setdefault(key, f"dòng {row['_row']} của tệp này")
    return problems


def _unit_name(other: Record, config: Config) -> str:
    known = config.unit(other.unit)  # a clerk knows "Sở Y tế", not the code SYT
    return known.name if known else f"đơn vị {other.unit}"


def _people(record: Record) -> frozenset[tuple]:
    """The keys of the people a stored record nominates."""
    return frozenset(key for key in map(_person_key, record.tables.get(SHEET, [])) if key)


def _person_key(row: dict[str, Any]) -> tuple | None:
    if fold(str(row.get("kind") or "")) != fold("Cá nhân") or not row.get("birth_date"):
        return None
    return (fold(str(row.get("name") or "")), row["birth_date"])


def _subject_matches(crit: Criterion, row: dict[str, Any]) -> bool:
    return not crit.subject or fold(str(row.get("kind") or "")) == fold(crit.subject)


def _has_invalid(rule: Rule, row: dict[str, Any], raw: RawRow) -> bool:
    """A value already reported as wrong is not judged again by a criterion."""
    return any(row.get(n) is None and n in raw.values and not is_blank(raw.values[n].value)
               for n in rule.names)


def _row_problem(raw: RawRow, key: str, form: FormSpec, code: str, message: str,
                 expected: str, severity: Severity = Severity.ERROR) -> Problem:
    value = raw.values.get(key)
    label = next((f.label for _, f in form.all_fields() if f.key == key), key)
    return Problem(code, message, severity, raw.sheet, value.cell if value else "", label,
                   display(value.value) if value else "", expected, raw.row)
