"""A period report copied from another unit: its Số is another unit's, or its figures and texts
are another unit's current report for the same period. Counting it would count that unit twice,
so it is refused, naming the unit it copies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from docflow.config import Config, Unit
from docflow.config import FieldSpec, FormSpec
from docflow.models import Problem, RawValue, Record, Severity, Submission
from docflow.text import fold


def copy_problems(sub: Submission, record: Record, others: Iterable[Record], form: FormSpec,
                  config: Config) -> list[Problem]:
    """Problems of a period report that repeats another unit's number or content."""
    if form.field_by_role("period") is None:  # only period reports are summed up
        return []
    theirs = [r for r in others if r.unit != record.unit and r.kind == record.kind]
    problems = _number_problems(sub, record, theirs, form, config)
    mine = _content(record, form)
    for other in theirs:
        if other.period == record.period and mine is not None and _content(other, form) == mine:
            unit = _name(other.unit, config)
            number = _number_of(other, form)
            problems.append(Problem(
                "report.copied",
                f"Số liệu và nội dung đánh giá giống hệt báo cáo {record.period} của {unit}"
                + (f" (số {number})" if number else "") + " đã được tiếp nhận.",
                Severity.ERROR, _first_table(form), expected=(
                    f"số liệu và đánh giá của chính đơn vị; báo cáo của {unit} do {unit} tự "
                    "gửi từ thư mục của mình")))
            break
    return problems


def _number_problems(sub: Submission, record: Record, theirs: list[Record], form: FormSpec,
                     config: Config) -> list[Problem]:
    spec = _number_field(form)
    number = record.fields.get(spec.key) if spec else None
    raw = sub.fields.get(spec.key) if spec else None
    if not number or spec is None or raw is None:
        return []
    used = next((r for r in theirs if _loose(str(_number_of(r, form))) == _loose(str(number))),
                None)
    if used is not None:
        unit = _name(used.unit, config)
        return [_problem(spec, raw, "report.number_used",
                         f"Số “{number}” là số báo cáo {used.period} của {unit} đã được tiếp "
                         "nhận.", f"số, ký hiệu báo cáo của chính đơn vị; báo cáo của {unit} do "
                         f"{unit} tự gửi")]
    owner = _owner_of_symbol(str(number), record.unit, config)
    if owner is not None:
        return [_problem(spec, raw, "report.number_of_other",
                         f"Số “{number}” mang ký hiệu của {owner.name}, không phải của đơn vị "
                         "gửi.", f"số, ký hiệu báo cáo của chính đơn vị; báo cáo của "
                         f"{owner.name} do {owner.name} tự gửi")]
    return []


def _owner_of_symbol(number: str, own: str, config: Config) -> Unit | None:
    """The one other unit whose code ends the Số (`30/BC-SYT`, `56-BC/TĐTN`), if any."""
    issuer = _loose(_issuer_part(number))
    if not issuer:
        return None
    matches = [u for u in config.units
               if any(issuer == k or issuer.startswith(k + "-") for k in _keys(u))]
    if not matches or any(u.code == own for u in matches) or len(matches) > 1:
        return None  # its own symbol, or a symbol several units share (UBND): not evidence
    return matches[0]


def _issuer_part(number: str) -> str:
    """What follows the type code: `SYT` in `30/BC-SYT`, `TĐTN` in `56-BC/TĐTN`."""
    head, _, rest = number.partition("/")
    if "-" in head:  # Party style
        return rest
    return rest.rsplit("/", 1)[-1].partition("-")[2]  # a year (`12/2025/QĐ-UBND`) is skipped


def _keys(unit: Unit) -> set[str]:
    keys = {_loose(unit.code), _loose(unit.doc_code)}
    if unit.kind == "dia_phuong":
        keys.add("ubnd")  # a People's Committee numbers `…/BC-UBND`
    return keys - {""}


def _content(record: Record, form: FormSpec) -> tuple | None:
    """The figures and free texts of a report; None when there is nothing to compare."""
    texts = tuple((k, fold(str(record.fields.get(k) or ""))) for k in _text_keys(form))
    tables = tuple((name, tuple(_row(row) for row in record.tables.get(name, [])))
                   for name in sorted(record.tables))
    figures = [v for _, rows in tables for row in rows for _, v in row
               if isinstance(v, Decimal) and v != 0]
    if not figures and not any(t for _, t in texts):
        return None  # two empty reports are alike without being copies
    return texts, tables


def _row(row: dict[str, Any]) -> tuple:
    return tuple(sorted((k, fold(v) if isinstance(v, str) else v) for k, v in row.items()
                        if k not in ("_row", "stt") and v is not None))


def _text_keys(form: FormSpec) -> list[str]:
    """Free-text fields: those of a label/value sheet that carries no identity (roles)."""
    return [f.key for s in form.sheets if s.layout == "fields" and not any(f.role for f in s.fields)
            for f in s.fields if f.type == "text"]


def _number_field(form: FormSpec) -> FieldSpec | None:
    """The report's own Số: the first number field of its label/value sheets."""
    return next((f for s, f in form.all_fields()
                 if s.layout == "fields" and f.type == "document_number"), None)


def _number_of(record: Record, form: FormSpec) -> Any:
    spec = _number_field(form)
    return record.fields.get(spec.key) if spec else None


def _first_table(form: FormSpec) -> str:
    return next((s.name for s in form.sheets if s.layout == "table"), "")


def _name(code: str, config: Config) -> str:
    unit = config.unit(code)
    return unit.name if unit else code


def _loose(text: str) -> str:
    return fold(text).replace("đ", "d").replace(" ", "")


def _problem(spec: FieldSpec, raw: RawValue, code: str, message: str, expected: str) -> Problem:
    return Problem(code, message, Severity.ERROR, raw.sheet, raw.cell, spec.label, raw.display(),
                   expected, raw.row)
