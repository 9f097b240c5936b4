"""Legacy-font Vietnamese (TCVN3/ABC and VNI) read as cp1252: detected, so that a unit is told
to convert its file rather than have mojibake accepted as names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from docflow.text.letters import _TONES, _VOWEL_MARKS, nfc

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
