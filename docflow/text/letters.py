"""Vietnamese letters: NFC, cleaning, folding for comparison, CLDR-vi collation, capitals, slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def slug(s: str) -> str:
    """Return an ASCII file-name-safe slug: no diacritics, '-' between words, at most 80 characters."""
    t = unicodedata.normalize("NFD", clean(s).replace("đ", "d").replace("Đ", "D"))
    t = re.sub(r"[^A-Za-z0-9]+", "-", "".join(c for c in t if not unicodedata.combining(c)))
    return t.strip("-")[:80].rstrip("-")
