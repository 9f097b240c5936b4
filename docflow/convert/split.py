"""A long list cut into parts LibreOffice converts one by one: the Word side.

A decision's annex of thousands of rows is one section after the decision itself. LibreOffice
lays out a whole document in one thread on one process, so a 5,000-row list took as long as the
rest of the refresh together, and a list converted again whole for one more unit. Here the
rendered document is cut into packages converted separately (stitch.py joins their PDFs):

- the front: the decision's own section, exactly as in the document;
- the annex, in parts of about `rows` table rows, cut only where a table of the list begins
  (a unit's table, or the next 100 rows of one), without page headers and with blank footers
  of the same height: the page numbers and the Mã dự thảo are laid over afterwards from blank
  pages laid out as the annex with its own headers, and with its own footers (blank());
- so that the Word document and its PDF break pages at the same places, each part after the
  first begins on a new page in the delivered .docx too (`w:pageBreakBefore` on the table's
  first paragraph). A list under `rows` rows is left alone: no part, no added break.

Documents of another shape (more sections, no table groups, a page field in the body or a
footer, a field counting all pages) are not cut: they are converted whole, as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

PART_ROWS = 400  # about 20 pages: small enough for both LibreOffice processes to share a list
GROUP = '<w:p><w:pPr><w:pStyle w:val="TableGroup"/>'
BREAK = "<w:pageBreakBefore/>"
_GROUP = re.compile(re.escape(GROUP.encode()))
_INNER_SECT = re.compile(rb"<w:sectPr\b.*?</w:sectPr>(?=</w:pPr>)", re.S)
_REF = re.compile(r'<w:(header|footer)Reference w:type="(\w+)" r:id="(\w+)"/>')
_FIELD = re.compile(rb"(?:<w:instrText[^>]*>\s*|w:instr=\"\s*)(PAGE|NUMPAGES|SECTIONPAGES)\b")


@dataclass(frozen=True)
class Cut:
    """A document cut for conversion: the .docx to deliver and the packages to convert."""

    docx: bytes
    front: dict[str, bytes]
    parts: tuple[dict[str, bytes], ...]
    package: dict[str, bytes]  # the rendered package, which blank() lays blank pages out in
    annex_sect: str


def cut(docx: bytes, rows: int = PART_ROWS) -> Cut | None:
    """The document cut into its front and annex parts, or None when it is left whole."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        infos = zf.infolist()
        package = {info.filename: zf.read(info) for info in infos}
    # Cut as UTF-8 bytes and by slices: as str a Vietnamese list takes two bytes a character,
    # and each copy of a 20,000-row body is tens of MB at docflow's peak.
    xml = package["word/document.xml"]
    inner = list(_INNER_SECT.finditer(xml))
    body_at, end_at = xml.find(b"<w:body>") + len(b"<w:body>"), xml.rfind(b"<w:sectPr")
    if len(inner) != 1 or body_at < len(b"<w:body>") or end_at < inner[0].end():
        return None
    sect1, last_sect = inner[0].group(0), xml[end_at:xml.rindex(b"</w:body>")]
    para_at = max(xml.rfind(b"<w:p>", 0, inner[0].start()),
                  xml.rfind(b"<w:p ", 0, inner[0].start()))
    para_end = xml.index(b"</w:p>", inner[0].end()) + len(b"</w:p>")
    starts = [m.start() for m in _GROUP.finditer(xml, para_end, end_at)]
    if not starts or _page_fields(package):
        return None
    # The annex's text before its first table, then one piece per table; parts are runs of
    # pieces of about `rows` rows, each a single slice of the body.
    bounds = [para_end, *starts, end_at]
    cuts, count = [para_end], 0
    for a, b in zip(bounds[1:], bounds[2:]):
        if count >= rows:
            cuts.append(a)
            count = 0
        count += xml.count(b"<w:tr>", a, b) + xml.count(b"<w:tr ", a, b)
    if len(cuts) < 2:
        return None
    cuts.append(end_at)
    bodies = [xml[a:b] for a, b in zip(cuts, cuts[1:])]
    bodies[1:] = [_break_before(body) for body in bodies[1:]]
    head, tail = xml[:body_at], xml[xml.rindex(b"</w:body>"):]
    front_para = xml[para_at:para_end].replace(sect1, b"", 1)
    delivered = b"".join([head, xml[body_at:para_end], *bodies, xml[end_at:]])
    annex_sect = _explicit(last_sect.decode("utf-8"), sect1.decode("utf-8"))
    front = dict(package, **{"word/document.xml": _doc(head, xml[body_at:para_at] + front_para,
                                                       sect1.decode("utf-8"), tail)})
    bare, blanked = _bare(annex_sect), _blank_footers(package)
    parts = tuple(dict(package, **blanked, **{"word/document.xml": _doc(head, body, bare, tail)})
                  for body in bodies)
    return Cut(_zip(infos, dict(package, **{"word/document.xml": delivered})),
               front, parts, package, annex_sect)


def blank(cut_: Cut, pages: int, shows: str) -> dict[str, bytes]:
    """A package of `pages` blank pages laid out as the annex that shows only its "headers"
    (the page numbers) or only its "footers" (the Mã dự thảo): its PDF carries them at the exact
    place LibreOffice puts them. Apart, the numbers stay the same from one making to the next
    and the footers, new at each making, need two pages (the section's first, then the rest)."""
    xml = cut_.package["word/document.xml"]
    head, tail = xml[:xml.find(b"<w:body>") + len(b"<w:body>")], xml[xml.rindex(b"</w:body>"):]
    body = b"<w:p/>" + b"<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>" * (pages - 1)
    other = "footer" if shows == "headers" else "header"
    sect = re.sub(rf"<w:{other}Reference [^>]*/>", "", cut_.annex_sect)
    package = dict(cut_.package, **_blank_footers(cut_.package)) if shows == "headers" \
        else cut_.package
    return dict(package, **{"word/document.xml": _doc(head, body, sect, tail)})


def package_bytes(package: dict[str, bytes]) -> bytes:
    """A package written as a .docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package.items():
            zf.writestr(name, data)
    return out.getvalue()


def _doc(head: bytes, body: bytes, sect: str, tail: bytes) -> bytes:
    return b"".join([head, body, sect.encode("utf-8"), tail])


def _zip(infos: list[zipfile.ZipInfo], package: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in infos:
            zf.writestr(info, package[info.filename])
    return out.getvalue()


def _break_before(body: bytes) -> bytes:
    """The part's first paragraph (a table's group line) starts a page; the break goes where
    the schema orders it, after the style and keep-with-next."""
    group, keep = GROUP.encode(), (GROUP + "<w:keepNext/>").encode()
    at = len(keep) if body.startswith(keep) else len(group)
    return body[:at] + BREAK.encode() + body[at:]


def _explicit(sect: str, previous: str) -> str:
    """The annex's section with the headers and footers it inherits from the first section
    written out: converted alone it has no first section to inherit from."""
    have = {(m.group(1), m.group(2)) for m in _REF.finditer(sect)}
    missing = "".join(m.group(0) for m in _REF.finditer(previous)
                      if (m.group(1), m.group(2)) not in have)
    at = sect.index(">") + 1
    return sect[:at] + missing + sect[at:]


def _bare(sect: str) -> str:
    """A part's section: no page headers, and each page with the section's plain footer (a
    part after the first does not begin the section). Headers and footers are drawn over the
    joined pages from the blank pages, so a part's PDF depends on its rows alone: the decision
    and its Tờ trình share parts, and the Mã dự thảo (new at every making) does not void them."""
    return re.sub(r"<w:headerReference [^>]*/>", "", sect).replace("<w:titlePg/>", "")


def _blank_footers(package: dict[str, bytes]) -> dict[str, bytes]:
    """Every footer with each text a no-break space: a footer keeps its height (LibreOffice
    fits the body to it), its words come from the blank pages."""
    return {name: re.sub(r"<w:t(?: [^>]*)?>[^<]*</w:t>", '<w:t xml:space="preserve">\u00a0</w:t>',
                         data.decode("utf-8")).encode("utf-8")
            for name, data in package.items() if re.fullmatch(r"word/footer\d*\.xml", name)}


def _page_fields(package: dict[str, bytes]) -> bool:
    """A page number in the body or a footer, or a count of all pages anywhere, would be
    wrong in parts converted apart (a header's page number is drawn over from blank pages)."""
    for name, data in package.items():
        part = re.fullmatch(r"word/(document|header|footer)\d*\.xml", name)
        fields = _FIELD.findall(data) if part and b"instr" in data else []  # most have none
        if any(f != b"PAGE" or part.group(1) != "header" for f in fields):
            return True
    return False
