"""A package to convert without the styles it never uses.

The templates carry python-docx's 200 styles (360 KB of styles.xml) and LibreOffice builds every
one of them at each load: ~0.06 s of a small part's ~0.09 s, paid again by every part, front and
blank page of a long list. A style no paragraph, run, table or numbering of the package names,
and that no named style is based on, linked to or followed by, cannot change a page, so the
packages converted in parts keep only the styles they use (the defaults always); their PDFs are
the same to the pixel. The delivered .docx keeps all its styles.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STYLE = re.compile(rb"<w:style\b[^>]*?(?:/>|>.*?</w:style>)", re.S)
_ID = re.compile(rb'w:styleId="([^"]*)"')
_NAMED = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyle|basedOn|link|next) w:val="([^"]*)"')
_USERS = re.compile(r"word/(document|header\d*|footer\d*|numbering|footnotes|endnotes|comments)"
                    r"\.xml")


def slim(package: dict[str, bytes]) -> dict[str, bytes]:
    """The package with only the styles it uses in styles.xml (the same package if it has
    no styles part)."""
    styles = package.get("word/styles.xml")
    if styles is None:
        return package
    named: set[bytes] = set()
    for name, data in package.items():
        if _USERS.fullmatch(name):
            named.update(_NAMED.findall(data))
    return dict(package, **{"word/styles.xml": _kept(styles, frozenset(named))})


@lru_cache(maxsize=64)
def _kept(styles: bytes, named: frozenset[bytes]) -> bytes:
    """styles.xml with the styles named, those they name in turn, and the defaults."""
    matches = list(_STYLE.finditer(styles))
    found = {_style_id(m.group(0)): m.group(0) for m in matches}
    keep = {sid for sid, style in found.items() if b'w:default="1"' in style[:style.index(b">")]}
    todo = list(named | keep)
    while todo:
        sid = todo.pop()
        keep.add(sid)
        todo += [ref for ref in _NAMED.findall(found.get(sid, b"")) if ref not in keep]
    pieces, at = [], 0
    for match in matches:
        if _style_id(match.group(0)) not in keep:
            pieces.append(styles[at:match.start()])
            at = match.end()
    pieces.append(styles[at:])
    return b"".join(pieces)


def _style_id(style: bytes) -> bytes:
    found = _ID.search(style, 0, style.index(b">"))
    return found.group(1) if found else b""
