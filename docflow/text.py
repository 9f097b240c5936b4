"""Vietnamese text: normalisation, folding, collation, numbers, dates and legacy-encoding detection."""

from __future__ import annotations

import datetime as _dt
import math
import re
from functools import lru_cache
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from docflow.charset import strip_invisible

# Tone marks in CLDR vi secondary order: huyền, hỏi, ngã, sắc, nặng.
_TONES = "\u0300\u0309\u0303\u0301\u0323"
_VOWEL_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: part of the letter, not the tone
_VOWELS = "aeiouyAEIOUY"
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")  # letters with their combining marks
_CLUSTER = re.compile(r"(.)([\u0300-\u036f]*)", re.S)  # a base character and its combining marks
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+|.[\u0300-\u036f]*", re.S)
_ALPHABET = {ch: i for i, ch in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}


def nfc(s: str) -> str:
    """Return s in Unicode NFC."""
    return unicodedata.normalize("NFC", s)


def clean(s: str) -> str:
    """Return s in NFC, trimmed, whitespace runs collapsed to one space, eth read as Đ/đ."""
    s = nfc(s).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    t = " ".join(s.split())  # str.split() also splits on NBSP, tabs and newlines
    return s if t == s else t  # the same object when nothing changed: a long list is kept once


# Old and new tone placement differ only where a tone sits on o/u before a, e or y ("hòa"/"hoà",
# "khỏe"/"khoẻ", "thúy"/"thuý", "ủy"/"uỷ"); fold moves it onto the second vowel, which also
# forgives the misplaced "hòang" a clerk may type.
_OLD_TONE = re.compile("([òóỏõọ])([ae])|([ùúủũụ])(y)")


def _retone(m: re.Match[str]) -> str:
    first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    parts = unicodedata.normalize("NFD", first)
    return parts[0] + unicodedata.normalize("NFC", second + parts[1:])


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Return a comparison key: cleaned, case-folded, one tone placement, no trailing ' *',
    no invisible characters (a zero-width space must not make one person two)."""
    s = clean(strip_invisible(s))
    if s.endswith("*"):
        s = s.rstrip("*").rstrip()
    return _OLD_TONE.sub(_retone, s.casefold())


def collation_key(s: str) -> tuple:
    """Return a CLDR-vi sort key: letters, then tones per syllable, then case."""
    primary: list[tuple[int, int]] = []
    secondary: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    tertiary: list[int] = []
    for token in _TOKEN.findall(unicodedata.normalize("NFD", clean(s))):
        if not _WORD.fullmatch(token):  # space, then punctuation, then digits, all before letters
            digit = unicodedata.decimal(token[0], None)
            primary.append((0, 0) if token == " " else (1, ord(token[0])) if digit is None else (2, digit))
            tertiary.append(0)
            continue
        tones: list[int] = []  # per syllable, so that "hoà" and "hòa" weigh the same
        accents: list[int] = []
        for base, marks in _CLUSTER.findall(token):
            letter = nfc(base.lower() + "".join(c for c in marks if c in _VOWEL_MARKS))
            if letter in _ALPHABET:
                marks = "".join(c for c in marks if c not in _VOWEL_MARKS)
            else:  # a foreign letter sorts with its base letter; its marks become accents
                letter = base.lower()
            primary.append((3, _ALPHABET[letter]) if letter in _ALPHABET else (4, ord(letter)))
            tones += [_TONES.index(c) + 1 for c in marks if c in _TONES]
            accents += [ord(c) for c in marks if c not in _TONES]
            tertiary.append(1 if base != base.lower() else 0)  # CLDR default: lower case first
        secondary.append((tuple(sorted(tones)), tuple(accents)))
    return tuple(primary), tuple(secondary), tuple(tertiary)


def given_name_key(full_name: str) -> tuple:
    """Return a sort key for people: given name (last word) first, then the rest of the name."""
    words = clean(full_name).split(" ")
    given, rest = collation_key(words[-1]), collation_key(" ".join(words[:-1]))
    # Case is the weakest difference, so it comes after both parts' letters and tones.
    return given[0], given[1], rest[0], rest[1], given[2], rest[2]


def upper_vi(s: str) -> str:
    """Return s in upper case with diacritics kept and đ → Đ (U+0110), NFC."""
    return nfc(nfc(s).replace("\u00f0", "\u0111").replace("\u00d0", "\u0110").upper())


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


def slug(s: str) -> str:
    """Return an ASCII file-name-safe slug: no diacritics, '-' between words, at most 80 characters."""
    t = unicodedata.normalize("NFD", clean(s).replace("đ", "d").replace("Đ", "D"))
    t = re.sub(r"[^A-Za-z0-9]+", "-", "".join(c for c in t if not unicodedata.combining(c)))
    return t.strip("-")[:80].rstrip("-")


# TCVN3 (ABC, .VnTime) chart: one byte per lowercase letter, read here as cp1252.
# Toned capitals exist only in the all-caps .VnTimeH fonts, which reuse the lowercase codes.
_TCVN3_LETTERS = ("ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
                  "ĂÂÊÔƠƯĐ")
_TCVN3_CODES = bytes.fromhex(
    "a8a9aaabacadae b5b6b7b8b9 bbbcbdbec6 c7c8c9cacb cccecfd0d1 d2d3d4d5d6 d7d8dcddde"
    " dfe1e2e3e4 e5e6e7e8e9 eaebecedee eff1f2f3f4 f5f6f7f8f9 fafbfcfdfe a1a2a3a4a5a6a7"
).decode("cp1252")
_TCVN3_ENCODE = dict(zip(_TCVN3_LETTERS, _TCVN3_CODES))
_TCVN3_DECODE = str.maketrans(_TCVN3_CODES, _TCVN3_LETTERS)


def _vni_table() -> dict[str, str]:
    # VNI-Windows chart: base letter + one mark byte (grave, hook, tilde, acute, dot); the circumflex and breve
    # marks carry the tone too; i, ỵ, đ, ơ, ư have codes of their own. Capitals upper-case every byte.
    plain, circ, breve = "øûõùï", "âàåãáä", "êèúüéë"
    rows = [("a", "àảãáạ", plain), ("e", "èẻẽéẹ", plain), ("o", "òỏõóọ", plain), ("u", "ùủũúụ", plain),
            ("y", "ỳỷỹý", plain), ("ô", "ờởỡớợ", plain), ("ö", "ừửữứự", plain), ("a", "âầẩẫấậ", circ),
            ("e", "êềểễếệ", circ), ("o", "ôồổỗốộ", circ), ("a", "ăằẳẵắặ", breve)]
    table = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ỵ": "î", **dict(zip("ìỉĩíị", "ìæóíò"))}
    table.update((ch, base + mark) for base, letters, marks in rows for ch, mark in zip(letters, marks))
    table.update({ch.upper(): code.upper() for ch, code in table.items()})
    return table


_VNI_ENCODE = _vni_table()
_VNI_DECODE = {code: ch for ch, code in _VNI_ENCODE.items()}
_VNI_CODES = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))

# Vowel nuclei of Vietnamese syllables (without tone); the open ones end in a glide and take no final consonant.
_CLOSED = "a ă â e ê i o ô ơ u ư iê yê oa oă oe oo uâ uê uô ươ uy uyê".split()
_OPEN = ("y ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu "
         "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu uơ").split()
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?(?:(%s)(ng|nh|ch|[cmnpt])?|(%s))"
    % ("|".join(sorted(_CLOSED, key=len, reverse=True)), "|".join(sorted(_OPEN, key=len, reverse=True))))


def _is_syllable(word: str) -> bool:
    d = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in d if c in _TONES]
    if re.search(f"[^aeiouy{_VOWEL_MARKS}][{_TONES}]", d):  # a tone sits on a vowel, never on "ñ"
        return False
    m = _SYLLABLE.fullmatch(nfc("".join(c for c in d if c not in _TONES)))
    if not m or len(tones) > 1 or (m[1] == "oo" and m[2] not in ("ng", "c")):
        return False
    # A syllable closed by a stop consonant takes only sắc or nặng.
    return m[2] not in ("c", "ch", "p", "t") or tones in (["\u0301"], ["\u0323"])


def _legacy_evidence(s: str, codes: str, decode: Callable[[str], str]) -> tuple[int, int]:
    ascii_words = ascii_valid = foreign = valid = evidence = 0
    for w in re.findall(r"(?:[^\W\d_]|[" + re.escape(codes) + r"])+", s):
        decoded = decode(w)
        if len(w) < 2 or (decoded.isupper() and not _is_syllable(decoded)):  # letters, acronyms (QĐ, UBND)
            continue
        if w.isascii():
            ascii_words += 1
            ascii_valid += _is_syllable(w)
            continue
        foreign += 1
        if any(ord(c) > 0xFF for c in w) or not _is_syllable(decoded):  # beyond Latin-1: not an 8-bit font
            continue
        valid += 1
        # A symbol inside a word ("c¶", "®Ó") occurs in no language; a capital inside one ("KÝnh") or an
        # impossible spelling is weaker, and two letters are too few to tell "sø" (Norwegian) from "sứ".
        mixed_case = not w.isupper() and w[1:] != w[1:].lower()
        odd = not w.isalpha() or (len(w) > 2 and (mixed_case or not _is_syllable(w)))
        evidence += decoded != w and odd
    # Mojibake decodes to real syllables almost everywhere, French or German words almost never; plain
    # ASCII words only count in short texts, so that English around Vietnamese quotes does not hide them.
    mostly_valid = valid >= 0.75 * foreign and 3 * evidence >= foreign
    plain_ok = evidence >= 3 or valid + ascii_valid >= 0.75 * (foreign + ascii_words)
    return (evidence, valid) if evidence and mostly_valid and plain_ok else (0, 0)


_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                           "\u01af\u01b0\u1ea0-\u1ef9]")


@lru_cache(maxsize=65536)  # lists repeat the same words ("Cá nhân", "Chuyên viên") row after row
def detect_legacy_encoding(s: str) -> str | None:
    """Return 'TCVN3' or 'VNI' when s looks like legacy-font Vietnamese read as cp1252, else None."""
    s = nfc(s)
    # Text decoded through cp1252 can never hold these letters: real Unicode Vietnamese, done.
    if s.isascii() or _UNICODE_ONLY.search(s):
        return None
    tcvn3 = _legacy_evidence(s, _TCVN3_CODES, lambda w: w.translate(_TCVN3_DECODE))
    vni = _legacy_evidence(s, "".join(_VNI_DECODE), lambda w: _VNI_CODES.sub(lambda m: _VNI_DECODE[m[0]], w))
    if not tcvn3[0] and not vni[0]:
        return None
    return "VNI" if vni >= tcvn3 else "TCVN3"  # VNI needs letter + mark pairs: the more specific reading
