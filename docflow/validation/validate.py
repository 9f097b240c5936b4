"""Check a Submission against its form spec and the campaign config; every violation is a Problem."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from docflow.charset import ascii_upper
from docflow.config import Config, counts_on
from docflow.history import HistoryView
from docflow.validation.copies import copy_problems
from docflow.validation.criteria import campaign_problems, criteria_problems
from docflow.config import FieldSpec, FormSpec, SheetSpec
from docflow.validation.eligibility import history_problems
from docflow.validation.cell_rules import Fault, check_value
from docflow.models import (Problem, RawRow, RawValue, Record, Severity, Submission, Table,
                             Validation)
from docflow.text import fold, short_date
from docflow.values import age_on, display, is_blank


MEMO_VALUES = 4096  # distinct values a column remembers the check of (names are new anyway)


def validate(sub: Submission, form: FormSpec, config: Config,
             current: Iterable[Record] = (), history: HistoryView | None = None) -> Validation:
    """All problems of one submission at once, and its typed record.

    `current` are the accepted records of the campaign now in force; the one this submission
    replaces (same unit and period) is left out when quotas and duplicate people are counted.
    `history` is the award register's view of the nominees (regular rounds only).
    """
    problems: list[Problem] = list(sub.problems)
    fields: dict[str, Any] = {}
    for sheet in form.sheets:
        if sheet.layout != "fields":
            continue
        if sheet.name not in sub.sheets_found:
            problems.append(_missing_sheet(sheet, sub))
            continue
        for spec in sheet.fields:
            raw = sub.fields.get(spec.key)
            if raw is None:
                if spec.required or spec.required_when:
                    problems.append(_missing_label(spec, sheet, sub))
                continue
            fields[spec.key] = _typed(spec, raw, config, sub.date1904, problems)
    for sheet in form.sheets:
        if sheet.layout == "fields" and sheet.name in sub.sheets_found:
            for spec in sheet.fields:
                if spec.key in fields:
                    _relations(spec, sub.fields[spec.key], fields, form, config, problems)
    tables = {s.name: _table(s, sub, fields, form, config, problems)
              for s in form.sheets if s.layout == "table"}
    problems += _unit_checks(sub, form, fields, config)
    period_spec = form.field_by_role("period")
    period = str(fields.get(period_spec.key) or "") if period_spec else ""
    unit = ascii_upper(sub.unit_folder)
    record = Record(form.code, unit, period, fields, tables)
    problems += criteria_problems(sub, record, form, config)
    others = [r for r in current if (r.unit, r.kind, r.period) != (unit, form.code, period)]
    problems += campaign_problems(sub, record, others, form, config)
    problems += history_problems(sub, record, form, config, history)
    problems += copy_problems(sub, record, others, form, config)
    return Validation(record, tuple(_sorted(problems, form)))


def _typed(spec: FieldSpec, raw: RawValue, config: Config, date1904: bool,
           problems: list[Problem]) -> Any:
    """Type one value and apply the rules that need nothing else; None when blank or wrong."""
    value, faults = check_value(spec, raw.value, config, date1904)
    problems += [_problem(spec, raw, *fault) for fault in faults]
    return value


def _relations(spec: FieldSpec, cell: Any, values: dict[str, Any], form: FormSpec,
               config: Config, problems: list[Problem],
               where: Callable[[], RawValue] | None = None) -> None:
    """Rules comparing a value with another field: not_after, age, required_when, empty_when.

    `cell` is the RawValue, or only its raw value with `where` making the RawValue when a
    problem needs it (a long table's cells are made only then)."""
    raw = cell if where is None else _Where(cell, where)
    value = values.get(spec.key)
    if spec.not_after and value is not None:
        other = values.get(spec.not_after)
        limit = other.year if isinstance(other, dt.date) and isinstance(value, int) else other
        if other is not None and type(limit) is type(value) and value > limit:
            label = _label(form, spec.not_after)
            problems.append(_problem(spec, raw, "value.order",
                                     f"“{spec.label}” sau “{label}”.",
                                     f"không sau {label} ({display(limit)})"))
    if spec.age_on and isinstance(value, dt.date):
        ref = values.get(spec.age_on)
        if isinstance(ref, dt.date):
            age = age_on(value, ref)
            low, high = spec.age_min or 0, spec.age_max or 200
            if not low <= age <= high:
                problems.append(_problem(
                    spec, raw, "value.age", f"Tuổi tính đến {_label(form, spec.age_on)} là {age}.",
                    f"tuổi từ {low} đến {high} tính đến {_label(form, spec.age_on)} "
                    f"({short_date(ref)})"))
    if spec.required_when and value is None and _matches(spec.required_when, values) \
            and is_blank(raw.value):
        problems.append(_problem(spec, raw, "value.required",
                                 f"Chưa nhập “{spec.label}”.",
                                 "bắt buộc khi " + _when(spec.required_when, form)))
    if spec.empty_when and not is_blank(raw.value) and _matches(spec.empty_when, values):
        problems.append(_problem(spec, raw, "value.must_be_empty",
                                 f"“{spec.label}” phải để trống.",
                                 "để trống khi " + _when(spec.empty_when, form)))


def _table(sheet: SheetSpec, sub: Submission, fields: dict[str, Any], form: FormSpec,
           config: Config, problems: list[Problem]) -> list[dict[str, Any]]:
    """Typed rows of a table sheet, with their problems."""
    if sheet.name not in sub.sheets_found:
        if not sheet.optional:
            problems.append(_missing_sheet(sheet, sub))
        return []
    rows = sub.tables.get(sheet.name, [])
    # Column by column: each distinct value of a column is typed and checked once, and a cell
    # (a RawValue) is made only for a value with a problem.
    typed: dict[str, list[Any]] = {}
    columns = {spec.key: _column(rows, spec.key) for spec in sheet.fields}
    for spec in sheet.fields:
        column = columns[spec.key]
        seen: dict[tuple, tuple[Any, tuple[Fault, ...]]] = {}
        out = typed[spec.key] = []
        for i, value in enumerate(column):
            try:
                memo = (type(value), value)
                got = seen.get(memo)
            except TypeError:  # not hashable: checked on its own
                memo, got = None, None
            if got is None:
                got = check_value(spec, value, config, sub.date1904)
                if memo is not None and len(seen) < MEMO_VALUES:
                    seen[memo] = got
            out.append(got[0])
            if got[1]:
                raw = _raw(rows, i, spec.key, sheet.name)
                problems.extend(_problem(spec, raw, *fault) for fault in got[1])
    keys = [spec.key for spec in sheet.fields]
    related = [spec for spec in sheet.fields if _has_relations(spec)]
    typed_rows = []
    for i, row_no in enumerate(_numbers(rows)):
        values = {key: typed[key][i] for key in keys}
        context = None
        for spec in related:
            if _may_relate(spec, values[spec.key], columns[spec.key][i]):
                context = context or {**fields, **values}
                _relations(spec, columns[spec.key][i], context, form, config, problems,
                           partial(_raw, rows, i, spec.key, sheet.name))
        values["_row"] = row_no
        typed_rows.append(values)
    if len(rows) < sheet.min_rows:
        problems.append(Problem(
            "table.too_few_rows", f"Trang tính “{sheet.name}” chưa có dòng dữ liệu nào.",
            sheet=sheet.name, found=str(len(rows)),
            expected=f"ít nhất {sheet.min_rows} dòng dưới dòng tiêu đề"))
    return typed_rows


def _column(rows: Sequence[RawRow], key: str) -> Sequence[Any]:
    """A column's raw values, row by row (None where the row has no such cell)."""
    if isinstance(rows, Table):
        return rows.columns.get(key) or [None] * len(rows)
    return [r.values[key].value if key in r.values else None for r in rows]


def _numbers(rows: Sequence[RawRow]) -> Sequence[int]:
    return rows.numbers if isinstance(rows, Table) else [r.row for r in rows]


def _raw(rows: Sequence[RawRow], i: int, key: str, sheet: str) -> RawValue:
    """The cell of row i and column `key`; a cell without a place when the column is absent."""
    if isinstance(rows, Table):
        return rows.cell(key, i) if key in rows.columns \
            else RawValue(None, sheet, "", rows.numbers[i])
    return rows[i].values.get(key) or RawValue(None, sheet, "", rows[i].row)


class _Where:
    """A raw value whose RawValue (its sheet, cell and row) is made only when asked for."""

    __slots__ = ("value", "_make")

    def __init__(self, value: Any, make: Callable[[], RawValue]) -> None:
        self.value, self._make = value, make

    def __getattr__(self, name: str) -> Any:
        return getattr(self._make(), name)


def _has_relations(spec: FieldSpec) -> bool:
    return bool(spec.not_after or spec.age_on or spec.required_when or spec.empty_when)


def _may_relate(spec: FieldSpec, value: Any, raw: Any) -> bool:
    """False when none of `_relations`'s rules can apply to this cell (most cells): it then
    needs no RawValue and no row context."""
    if (spec.not_after or spec.age_on) and value is not None:
        return True
    if spec.required_when and value is None:
        return True
    return bool(spec.empty_when) and not is_blank(raw)


def _unit_checks(sub: Submission, form: FormSpec, fields: dict[str, Any],
                 config: Config) -> list[Problem]:
    """The unit in the file must be the inbox folder's unit, known and valid on the document date."""
    problems: list[Problem] = []
    code_spec = form.field_by_role("unit_code")
    folder_unit = config.unit(sub.unit_folder)
    if folder_unit is None:
        problems.append(Problem("unit.unknown_folder",
                                f"Thư mục “{sub.unit_folder}” không phải mã đơn vị nào trong danh mục.",
                                found=sub.unit_folder, expected="thư mục inbox/<MÃ ĐƠN VỊ> đã được cấp"))
        return problems
    code = fields.get(code_spec.key) if code_spec else None
    raw = sub.fields.get(code_spec.key) if code_spec else None
    if code and raw:
        if config.unit(str(code)) is None:
            problems.append(_problem(code_spec, raw, "unit.unknown",
                                     f"Mã đơn vị “{code}” không có trong danh mục.",
                                     f"mã của đơn vị gửi: {folder_unit.code}"))
        elif ascii_upper(str(code).strip()) != folder_unit.code:
            problems.append(_problem(code_spec, raw, "unit.folder_mismatch",
                                     f"Tệp của đơn vị “{code}” lại nằm trong thư mục của "
                                     f"{folder_unit.code}.",
                                     f"mã {folder_unit.code}, đúng thư mục inbox/{folder_unit.code}/"))
    name_spec = form.field_by_role("unit_name")
    name = fields.get(name_spec.key) if name_spec else None
    if name and name_spec and fold(str(name)) != fold(folder_unit.name):
        problems.append(_problem(name_spec, sub.fields[name_spec.key], "unit.name_mismatch",
                                 f"Tên đơn vị “{name}” khác tên trong danh mục.",
                                 f"“{folder_unit.name}”"))
    date_spec = form.field_by_role("document_date")
    day = fields.get(date_spec.key) if date_spec else None
    if isinstance(day, dt.date) and not counts_on(folder_unit, day) and date_spec:
        problems.append(_problem(date_spec, sub.fields[date_spec.key], "unit.not_valid",
                                 f"Ngày {short_date(day)} đơn vị {folder_unit.name} không còn "
                                 "(hoặc chưa) hoạt động theo danh mục.",
                                 "một ngày trong thời gian hoạt động của đơn vị"))
    return problems


def _problem(spec: FieldSpec, raw: RawValue, code: str, message: str, expected: str) -> Problem:
    return Problem(code, message, Severity.ERROR, raw.sheet, raw.cell, spec.label,
                   raw.display(), expected, raw.row)


def _is_workbook(sub: Submission) -> bool:
    return not sub.file_name.lower().endswith((".docx", ".doc", ".odt"))


def _missing_sheet(sheet: SheetSpec, sub: Submission) -> Problem:
    if _is_workbook(sub):
        return Problem("sheet.missing", f"Không có trang tính “{sheet.name}”.", sheet=sheet.name,
                       expected=f"trang tính tên “{sheet.name}” như biểu mẫu gốc")
    return Problem("sheet.missing", f"Không có phần “{sheet.name}” trong văn bản.",
                   sheet=sheet.name, expected=f"phần “{sheet.name}” như biểu mẫu Word gốc")


def _missing_label(spec: FieldSpec, sheet: SheetSpec, sub: Submission) -> Problem:
    if _is_workbook(sub):
        return Problem("field.missing_label", f"Không tìm thấy dòng “{spec.label}” ở cột A.",
                       sheet=sheet.name, label=spec.label,
                       expected=f"một dòng có nhãn “{spec.label}” ở cột A, giá trị ở cột B")
    return Problem("field.missing_label", f"Không tìm thấy mục “{spec.label}” trong văn bản.",
                   sheet=sheet.name, label=spec.label,
                   expected=f"mục “{spec.label}” như biểu mẫu Word gốc")


def _matches(condition: dict[str, str], values: dict[str, Any]) -> bool:
    return all(fold(str(values.get(k) or "")) == fold(v) for k, v in condition.items())


def _when(condition: dict[str, str], form: FormSpec) -> str:
    return " và ".join(f"{_label(form, k)} là “{v}”" for k, v in condition.items())


def _label(form: FormSpec, key: str) -> str:
    return next((f.label for _, f in form.all_fields() if f.key == key), key)


def _sorted(problems: list[Problem], form: FormSpec) -> list[Problem]:
    """Grouped by sheet (in the form's order) and row, then column, as a clerk reads the file."""
    order = {fold(s.name): i for i, s in enumerate(form.sheets)}

    def key(p: Problem) -> tuple:
        letters = "".join(ch for ch in p.cell if ch.isalpha())
        return (order.get(fold(p.sheet), -1), p.row, len(letters), letters)
    return sorted(problems, key=key)
