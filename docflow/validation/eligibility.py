"""Regular (công trạng, hằng năm) rounds: each nomination against the register's history.

Pure: the register's view of the nominees is passed in (the pipeline reads it); thematic
campaigns (chuyên đề) skip these rules, their awards resting on the campaign's achievements.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docflow.config import Config
from docflow.config import FormSpec
from docflow.history import HistoryView, eligibility_failures, view_key
from docflow.models import Problem, Record, Severity, Submission, rows_by_number
from docflow.text import fold
from docflow.validation.awards import NOMINATION_SHEET
from docflow.values import parse


def history_problems(sub: Submission, record: Record, form: FormSpec, config: Config,
                     history: HistoryView | None) -> list[Problem]:
    """A Problem on the award cell of each row that fails a rule, citing it and the register."""
    if history is None or config.campaign.kind != "regular" or record.kind != "DN":
        return []
    date_spec = form.field_by_role("document_date")
    day = record.fields.get(date_spec.key) if date_spec else None
    day = day if isinstance(day, dt.date) else config.campaign.period_end
    raw_rows = rows_by_number(sub.tables.get(NOMINATION_SHEET, []))
    label = next((f.label for _, f in form.all_fields() if f.key == "award"), "award")
    problems = []
    for row in record.tables.get(NOMINATION_SHEET, []):
        raw = raw_rows.get(row["_row"])
        if raw is None or not row.get("award") or not row.get("name"):
            continue
        collective = _collective(row)
        seen = history.get(view_key(str(row["name"]), row.get("birth_date"), collective))
        for rule, why in eligibility_failures(config.eligibility, str(row["award"]), collective,
                                              seen, config.campaign.round_year, day):
            cited = rule.article + (f"; {rule.basis}" if rule.basis else "")
            doubt = f" ({seen.doubt})" if seen and seen.doubt else ""
            cell = raw.values.get("award")
            problems.append(Problem(
                "eligibility", f"Chưa đủ điều kiện {row['award']}: {why}{doubt}. Căn cứ: {cited}.",
                Severity(rule.severity), raw.sheet, cell.cell if cell else "", label,
                str(row["award"]), f"{rule.label} ({cited})", raw.row))
    return problems


def nominees(sub: Submission) -> list[tuple[str, dt.date | None, bool]]:
    """(name, birth date, collective) of each nomination row as typed, for the register's view."""
    out = []
    for row in sub.tables.get(NOMINATION_SHEET, []):
        name = row.values.get("name")
        if name is None or not isinstance(name.value, str) or not name.value.strip():
            continue
        kind = row.values.get("kind")
        collective = _collective({"kind": kind.value if kind else ""})
        born = row.values.get("birth_date")
        typed = parse("date", born.value, (), sub.date1904) if born else None
        out.append((name.value.strip(), typed.value if typed and typed.ok else None, collective))
    return out


def _collective(row: dict[str, Any]) -> bool:
    return fold(str(row.get("kind") or "")) == fold("Tập thể")
