"""Numbers, amounts and dates as Vietnamese documents write and units type them: words,
thousands separators, money, parsing, Excel serials, the Nghị định 30 date line."""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from docflow.text.letters import clean

_DIGITS = "không một hai ba bốn năm sáu bảy tám chín".split()


def _hundreds(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, n // 10 % 10, n % 10
    words = [_DIGITS[h], "trăm"] if full or h else []
    if t == 0:
        return words + (["linh"] if words and u else []) + ([_DIGITS[u]] if u else [])
    words += ["mười"] if t == 1 else [_DIGITS[t], "mươi"]
    if u:
        after_tens = {1: "mốt", 4: "tư", 5: "lăm"} if t >= 2 else {5: "lăm"}
        words.append(after_tens.get(u, _DIGITS[u]))
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    words: list[str] = []
    for scale, unit in ((10**6, ["triệu"]), (10**3, ["nghìn"]), (1, [])):
        group = n // scale % 1000
        if group:  # an all-zero group is not read at all
            words += _hundreds(group, full or bool(words)) + unit
    return words


def _words(n: int) -> list[str]:
    if n >= 10**9:  # above a tỷ the count of tỷ is read recursively: "một nghìn tỷ"
        high, low = divmod(n, 10**9)
        return _words(high) + ["tỷ"] + _below_billion(low, True)
    return _below_billion(n, False)


def number_to_words(n: int) -> str:
    """Return n in Vietnamese words (northern usage), lower case."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"number_to_words needs an int, got {type(n).__name__}: {n!r}")
    if n == 0:
        return "không"
    return " ".join((["âm"] if n < 0 else []) + _words(abs(n)))


def money_words(amount: int) -> str:
    """Return an amount in words with a capital first letter and ' đồng'."""
    words = number_to_words(amount)
    return f"{words[0].upper()}{words[1:]} đồng"


def format_number(value: int | float | Decimal) -> str:
    """Return value with '.' thousands and ',' decimals, at most 2 decimals rounded half up."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"format_number needs a number, got {type(value).__name__}: {value!r}")
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # str(): no binary noise
    if not d.is_finite():
        raise ValueError(f"cannot format {value!r}")
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + 4)
        d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(d):f}".partition(".")
    frac = frac.rstrip("0")
    return ("-" if d < 0 else "") + f"{int(whole):,}".replace(",", ".") + (f",{frac}" if frac else "")


def megabytes(size: int) -> str:
    """A size in bytes in megabytes, one decimal, Vietnamese separators: `1.234,5 MB` (a
    non-empty size never shows as 0)."""
    mb = (Decimal(size) / 10**6).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_number(max(mb, Decimal("0.1")) if size else mb) + " MB"


def format_money(amount: int) -> str:
    """Return an amount as '2.340.000 đồng'."""
    return f"{format_number(amount)} đồng"


def _grouped(s: str, sep: str) -> bool:
    return re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", s) is not None


def parse_number(text: str) -> Decimal | None:
    """Return the number typed in text (Vietnamese or plain separators), or None."""
    t = clean(text)
    sign = ""
    if t[:1] in ("-", "+", "\u2212"):
        sign, t = ("" if t[0] == "+" else "-"), t[1:]
    if " " in t:  # a space is only accepted as a thousands separator: "1 500"
        if not re.fullmatch(r"[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?", t):
            return None
        t = t.replace(" ", "")
    seps = [c for c in t if c in ".,"]
    # With both marks the last one is the decimal mark; a lone one is too, unless it is followed by
    # exactly three digits after a short whole part: "1.500" and "1,500" read as thousands.
    dec = seps[-1] if len(set(seps)) == 2 or len(seps) == 1 else None
    if len(seps) == 1 and re.fullmatch(r"[1-9][0-9]{0,2}[.,][0-9]{3}", t):
        dec = None
    whole, frac = t.rsplit(dec, 1) if dec else (t, None)
    thousands = next((c for c in ".," if c != dec and c in whole), "")
    if thousands and not _grouped(whole, thousands):
        return None
    whole = whole.replace(thousands, "") if thousands else whole
    if not re.fullmatch(r"[0-9]+", whole) or (frac is not None and not re.fullmatch(r"[0-9]+", frac)):
        return None
    return Decimal(sign + whole + (f".{frac}" if frac is not None else ""))


_DMY = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str) -> _dt.date | None:
    """Return the date in text (d/m/yyyy, d-m-yyyy, d.m.yyyy or yyyy-mm-dd), or None if not a date."""
    t = clean(text)
    if m := _DMY.fullmatch(t):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif m := _ISO.fullmatch(t):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"impossible date {t!r}: day {day}, month {month}, year {year}") from None


def excel_serial_to_date(serial: float, date1904: bool = False) -> _dt.date:
    """Return the date of an Excel serial number in the 1900 or 1904 date system."""
    if isinstance(serial, bool) or not isinstance(serial, (int, float, Decimal)) or not math.isfinite(serial):
        raise ValueError(f"not an Excel date serial: {serial!r}")
    day = math.floor(serial)
    if date1904:
        epoch, lowest = _dt.date(1904, 1, 1), 0
    else:
        # Excel counts a 29/02/1900 that never existed, so serials from 61 on are one day ahead.
        epoch, lowest = (_dt.date(1899, 12, 31) if day < 60 else _dt.date(1899, 12, 30)), 1
        if day == 60:
            raise ValueError("Excel serial 60 is 29/02/1900, a date that does not exist")
    if serial < lowest or day > (_dt.date.max - epoch).days:
        raise ValueError(f"Excel serial {serial!r} is outside the {'1904' if date1904 else '1900'} date system")
    return epoch + _dt.timedelta(days=day)


def nd30_date(d: _dt.date) -> str:
    """Return the Nghị định 30 date: 'ngày 05 tháng 01 năm 2025', 'ngày 29 tháng 6 năm 2025'."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def short_date(d: _dt.date) -> str:
    """Return d as dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
