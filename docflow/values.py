"""Typing of raw cell values: text, numbers, dates and choices as clerks really type them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from docflow.text import clean, excel_serial_to_date, fold, format_number, parse_date, parse_number


@dataclass(frozen=True)
class Typed:
    """A parsed value, or why it could not be parsed (`code`, `expected`)."""

    value: Any = None
    code: str = ""
    expected: str = ""

    @property
    def ok(self) -> bool:
        """True when the value parsed."""
        return not self.code


DATE_HINT = "ngày dạng dd/mm/yyyy, ví dụ 05/01/2025"
NUMBER_HINT = ("số và ký hiệu văn bản, ví dụ 25/KH-SNV, hoặc kiểu của Đảng, Đoàn thanh niên "
               "56-BC/TĐTN")
# A Số as state bodies write it (`25/KH-SNV`, `88/BC-MTTQ-BTT`, `12/2025/QĐ-UBND`) or in the
# Party style of Party bodies and the Youth Union (`56-BC/TĐTN`, `12-KH/TU`): Nghị định 30 and
# the Party's own rules both hold, so a form's Số accepts either.
DOCUMENT_NUMBER = re.compile(r"^\d{1,5}(?:/\d{4})?(?:/\w+(?:-\w+)*|-\w+/\w+(?:-\w+)*)$")


def is_blank(raw: Any) -> bool:
    """True for None, empty or whitespace-only text."""
    return raw is None or (isinstance(raw, str) and not clean(raw))


def as_text(raw: Any) -> Typed:
    """Any cell as NFC text; whole numbers lose the `.0` Excel gives them."""
    if isinstance(raw, bool):
        return Typed("Có" if raw else "Không")
    if isinstance(raw, float) and raw.is_integer():
        return Typed(str(int(raw)))
    if isinstance(raw, (dt.datetime, dt.date)):
        return Typed(raw.strftime("%d/%m/%Y"))
    return Typed(clean(str(raw)))


def as_number(raw: Any) -> Typed:
    """A numeric cell, or text with Vietnamese separators."""
    if isinstance(raw, bool):
        return Typed(code="value.type", expected="một số, ví dụ 1.500 hoặc 2,5")
    if isinstance(raw, (int, float, Decimal)):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            return Typed(value)
    if isinstance(raw, str):
        value = parse_number(raw)
        if value is not None and value.is_finite():
            return Typed(value)
    return Typed(code="value.type", expected="một số, ví dụ 1.500 hoặc 2,5")


def as_integer(raw: Any) -> Typed:
    """A whole number."""
    number = as_number(raw)
    if not number.ok or number.value != number.value.to_integral_value():
        return Typed(code="value.type", expected="một số nguyên, ví dụ 3")
    return Typed(int(number.value))


def as_date(raw: Any, date1904: bool = False) -> Typed:
    """A date cell, an Excel serial (1900 or 1904 system) or text dd/mm/yyyy."""
    if isinstance(raw, dt.datetime):
        return Typed(raw.date())
    if isinstance(raw, dt.date):
        return Typed(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            return Typed(excel_serial_to_date(float(raw), date1904))
        except ValueError:
            return Typed(code="value.type", expected=DATE_HINT)
    if isinstance(raw, str):
        try:
            parsed = parse_date(raw)
        except ValueError:
            return Typed(code="value.impossible_date", expected="một ngày có thật trên lịch")
        if parsed is not None:
            return Typed(parsed)
    return Typed(code="value.type", expected=DATE_HINT)


def as_choice(raw: Any, choices: tuple[str, ...]) -> Typed:
    """One of the allowed choices (folded compare); the canonical spelling is kept."""
    text = as_text(raw).value
    key = fold(text)
    for choice in choices:
        if fold(choice) == key:
            return Typed(choice)
    return Typed(code="value.choice", expected="một trong: " + "; ".join(f"“{c}”" for c in choices))


def as_document_number(raw: Any) -> Typed:
    """A document's Số in either style; spaces typed around `/` and `-` are dropped."""
    text = re.sub(r"\s*([/-])\s*", r"\1", as_text(raw).value)
    if DOCUMENT_NUMBER.match(text) is None:
        return Typed(code="value.pattern", expected=NUMBER_HINT)
    return Typed(text)


def parse(kind: str, raw: Any, choices: tuple[str, ...] = (), date1904: bool = False) -> Typed:
    """Type a raw value according to a field type."""
    if kind == "number":
        return as_number(raw)
    if kind == "integer":
        return as_integer(raw)
    if kind == "date":
        return as_date(raw, date1904)
    if kind == "choice":
        return as_choice(raw, choices)
    if kind == "document_number":
        return as_document_number(raw)
    return as_text(raw)


def display(value: Any) -> str:
    """A typed value as Vietnamese text for messages and documents."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
