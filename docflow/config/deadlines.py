"""Checks of the [[deadlines]] rows: a known form, a period only for BC, one row per form and
period, a new date after the deadline. Messages carry the key path, as every config check does."""

from __future__ import annotations

from docflow.config.model import Config
from docflow.text import fold

FORMS_WITH_PERIOD = ("BC",)


def check_deadlines(config: Config) -> list[str]:
    """Every problem of the deadline rows and of [round]."""
    problems, seen = [], set()
    for i, d in enumerate(config.deadlines):
        path = f"deadlines[{i}]"
        if d.form not in config.forms:
            problems.append(f"{path}.form: biểu mẫu {d.form!r} không có trong [forms]; dùng một "
                            "trong: " + ", ".join(sorted(config.forms)) + ".")
        if d.form in FORMS_WITH_PERIOD and not d.period.strip():
            problems.append(f"{path}.period: hạn nộp báo cáo phải ghi kỳ báo cáo, ví dụ "
                            "period = \"Năm 2025\".")
        if d.form not in FORMS_WITH_PERIOD and d.period.strip():
            problems.append(f"{path}.period: chỉ hạn nộp BC có kỳ báo cáo; bỏ khóa period "
                            f"của biểu mẫu {d.form}.")
        key = (d.form, fold(d.period))
        if key in seen:
            problems.append(f"{path}: trùng hạn nộp của biểu mẫu {d.form}"
                            + (f", kỳ {d.period!r}" if d.period else "")
                            + "; mỗi biểu mẫu (và kỳ) chỉ một hạn.")
        seen.add(key)
        if d.new_date is not None and d.new_date <= d.date:
            problems.append(f"{path}.new_date: hạn mới phải sau hạn nộp ({d.date:%d/%m/%Y}).")
    if config.round.grace_days < 1:
        problems.append("round.grace_days: số ngày gia hạn phải từ 1 trở lên.")
    return problems
