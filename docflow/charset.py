"""Characters a careless or hostile sender can hide in text: invisible, look-alike, bidi, control.

Pure functions on strings; validation turns their verdicts into problems, logs use `printable`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width space/joiners, word joiner, soft hyphen, BOM, Mongolian vowel separator: invisible
# in Excel and Word, yet they make "Nguyễn Văn An" and "Nguyễn Văn\u200bAn" two different people.
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u180e"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# Embedding, override and isolate controls and the marks LRM/RLM/ALM: they reorder what prints.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI}]")
# Characters that end a line for some reader (splitlines) although they are not \n.
_LINE_BREAKERS = "\u0085\u2028\u2029"


def ascii_upper(s: str) -> str:
    """Upper-case only a–z: 'ſnv'.upper() is 'SNV', and a unit code must not be forged so."""
    return s.translate(_ASCII_UPPER)


_ASCII_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


def strip_invisible(s: str) -> str:
    """s without zero-width characters, soft hyphens and BOMs."""
    return _INVISIBLE.sub("", s)


def printable(s: str) -> str:
    """s with control and line-breaking characters escaped (\\n, \\x1b, \\u2028), for one log
    line that a file name cannot split or colour."""
    out = []
    for ch in s:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) == "Cc" or ch in _LINE_BREAKERS or ch in BIDI:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def bidi_controls(s: str) -> list[str]:
    """The bidi control characters in s, as U+XXXX."""
    return [f"U+{ord(c):04X}" for c in _BIDI.findall(s)]


def control_chars(s: str) -> list[str]:
    """Control characters other than tab and line breaks, as U+XXXX."""
    if s.isprintable():  # no Cc character at all: the common case, without a loop
        return []
    return [f"U+{ord(c):04X}" for c in s if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]


def scripts(s: str) -> set[str]:
    """The scripts of the letters in s: Latin, Cyrillic, Greek, … (marks and digits have none)."""
    found = {_script(ch) for ch in s}
    found.discard("")
    return found


@lru_cache(maxsize=8192)
def _script(ch: str) -> str:
    """A letter's script (the first word of its Unicode name), "" for anything else; a list of
    50,000 names uses a few hundred distinct characters."""
    if unicodedata.category(ch).startswith("L"):
        return unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return ""


def has_letter_or_digit(s: str) -> bool:
    """True when s has at least one letter or digit (not only marks, symbols or emoji)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in s)
