"""One value against its field's own rules (type, length, range, pattern, period, hidden or
legacy-encoded text): the same answer for equal values wherever they stand in a file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docflow.config import Config, FieldSpec
from docflow.text import detect_legacy_encoding, short_date
from docflow.validation.hidden_text import text_problems
from docflow.values import display, is_blank, parse

MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: longer text was not typed by a clerk

Fault = tuple[str, str, str]  # (code, message, expected) of a Problem, before its cell is known


def check_value(spec: FieldSpec, raw: Any, config: Config,
                date1904: bool) -> tuple[Any, tuple[Fault, ...]]:
    """A value typed by its field, and what is wrong with it: the same for equal values
    wherever they stand, so a column checks each distinct value once."""
    if is_blank(raw):
        if spec.default is not None:
            return spec.default, ()
        if spec.required:
            return None, (("value.required", f"Chưa nhập “{spec.label}”.", "bắt buộc phải nhập"),)
        return None, ()
    if isinstance(raw, str) and len(raw) > MAX_CELL_CHARS:
        return None, (("value.too_long",
                       f"“{spec.label}” dài {len(raw):,} ký tự.".replace(",", "."),
                       f"không quá {MAX_CELL_CHARS:,} ký tự (giới hạn một ô Excel)"
                       .replace(",", ".")),)
    legacy = detect_legacy_encoding(raw) if isinstance(raw, str) else None
    if legacy:
        return None, ((
            "value.legacy_encoding",
            f"“{spec.label}” được gõ bằng bảng mã {legacy} (phông chữ cũ), không phải Unicode.",
            f"chữ Unicode: dùng Unikey (Công cụ chuyển mã) chuyển từ {legacy} sang Unicode"),)
    hidden = text_problems(spec.key, spec.label, raw) if isinstance(raw, str) else None
    if hidden:
        return None, (hidden,)
    choices = spec.choices or (tuple(a.name for a in config.awards)
                               if spec.choices_from == "awards" else ())
    typed = parse(spec.type, raw, choices, date1904)
    if not typed.ok:
        # The value itself is in the "Giá trị đã nhập" column (and the cell): not repeated here.
        return None, ((typed.code, f"“{spec.label}” không hợp lệ.", typed.expected),)
    value = typed.value
    return value, tuple((code, f"“{spec.label}” không đạt yêu cầu: “{display(value)}”.", expected)
                        for code, expected in simple_rules(spec, value, config))


def simple_rules(spec: FieldSpec, value: Any, config: Config) -> list[tuple[str, str]]:
    """(code, expected) of each range, length, pattern or period rule the value breaks."""
    broken: list[tuple[str, str]] = []
    if spec.type in ("number", "integer"):
        if spec.min is not None and value < spec.min:
            broken.append(("value.range", f"từ {display(spec.min)} trở lên"))
        if spec.max is not None and value > spec.max:
            broken.append(("value.range", f"không quá {display(spec.max)}"))
    if isinstance(value, str):
        if spec.min_length is not None and len(value) < spec.min_length:
            broken.append(("value.length", f"ít nhất {spec.min_length} ký tự (hiện có {len(value)})"))
        if spec.max_length is not None and len(value) > spec.max_length:
            broken.append(("value.length",
                           f"không quá {spec.max_length} ký tự (hiện có {len(value)})"))
        if spec.pattern and re.search(spec.pattern, value) is None:
            broken.append(("value.pattern", spec.pattern_hint or f"đúng mẫu {spec.pattern}"))
    if spec.in_period and isinstance(value, dt.date):
        c = config.campaign
        if not c.period_start <= value <= c.period_end:
            broken.append(("value.period", f"trong thời gian phong trào, từ "
                           f"{short_date(c.period_start)} đến {short_date(c.period_end)}"))
    return broken
