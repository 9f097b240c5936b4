"""The Mã dự thảo docflow writes into every province-wide draft it makes: in the docx core
properties (identifier) and as a small footer line, so a signed copy (docx or its PDF) that
comes back is matched to the exact making it was printed from."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx import Document as open_docx
from docx.shared import Pt
from lxml import etree

LABEL = "Mã dự thảo"
PATTERN = re.compile(r"Mã\s*dự\s*thảo\s*:\s*([A-Za-z]+(?:-[A-Za-z0-9]+)+)", re.IGNORECASE)


def footer_line(mark: str) -> str:
    """The footer text that carries a mark: `Mã dự thảo: DN-BKUBND-7`."""
    return f"{LABEL}: {mark}"


def stamp(data: bytes, mark: str) -> bytes:
    """The docx with its mark in the core properties and in every footer of every section."""
    return _stamp_parts(data, mark) or _stamp_docx(data, mark)


def stamped_parts(parts: dict[str, bytes], mark: str) -> dict[str, bytes] | None:
    """The parts of a package (name → content, in package order) with the mark added, new
    footers last, as `stamp` would write them; None when the package is not laid out as
    docflow's templates are (then `stamp` the whole package instead)."""
    parts = dict(parts)
    body, rels_name = parts.get("word/document.xml"), "word/_rels/document.xml.rels"
    if body is None or rels_name not in parts or "[Content_Types].xml" not in parts:
        return None
    return parts if _add_mark(parts, body, rels_name, mark) else None


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FOOTER_REL = _R + "/footer"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_SECT = re.compile(rb"<w:sectPr\b.*?</w:sectPr>", re.S)
_REFS_END = re.compile(rb"(?:<w:(?:header|footer)Reference\b[^>]*/>)*")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
_CORE = {"identifier": "{http://purl.org/dc/elements/1.1/}identifier",
         "keywords": "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
                     "keywords"}


def _stamp_parts(data: bytes, mark: str) -> bytes | None:
    """The same edits as python-docx makes (_stamp_docx) on the few parts they touch, the rest
    copied as is: a list of 10,000 rows is not parsed into python-docx objects for one footer
    line. None when the package is not laid out as docflow's templates are."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        infos = zin.infolist()
        parts = stamped_parts({info.filename: zin.read(info) for info in infos}, mark)
    if parts is None:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            zout.writestr(info, parts.pop(info.filename))
        for name, content in parts.items():
            zout.writestr(name, content)
    return out.getvalue()


def _add_mark(parts: dict[str, bytes], body: bytes, rels_name: str, mark: str) -> bool:
    """stamped_parts' work on its own copy of the parts; False when they are not as expected."""
    rels = etree.fromstring(parts[rels_name], _SAFE)
    targets = {r.get("Id"): "word/" + r.get("Target", "") for r in rels}
    line = (f'<w:p><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'
            f'<w:sz w:val="16"/></w:rPr><w:t>{escape(footer_line(mark))}</w:t></w:r></w:p>')
    new_parts: list[str] = []
    pieces, pos = [], 0
    for found in _SECT.finditer(body):
        raw = found.group(0)
        sect = etree.fromstring(raw.replace(b"<w:sectPr", f'<w:sectPr xmlns:w="{_W}" '
                                            f'xmlns:r="{_R}"'.encode(), 1), _SAFE)
        kinds = ["default"] + (["first"] if sect.find(f"{{{_W}}}titlePg") is not None else [])
        refs = {ref.get(f"{{{_W}}}type"): ref.get(f"{{{_R}}}id")
                for ref in sect.iter(f"{{{_W}}}footerReference")}
        added = b""
        for kind in kinds:
            if kind in refs:
                if targets.get(refs[kind]) not in parts:
                    return False
                name = targets[refs[kind]]
            else:  # python-docx unlinks the footer: a part of the section's own
                name = _free(parts, "word/footer{}.xml")
                rid = _free(targets, "rId{}")
                targets[rid] = name
                parts[name] = _blank_footer()
                new_parts.append(name)
                etree.SubElement(rels, f"{{{_REL_NS}}}Relationship", Id=rid, Type=_FOOTER_REL,
                                 Target=name.removeprefix("word/"))
                added += f'<w:footerReference w:type="{kind}" r:id="{rid}"/>'.encode()
            xml = parts[name].decode("utf-8")
            parts[name] = (xml[:xml.rindex("</w:ftr>")] + line + "</w:ftr>").encode("utf-8")
        head_end = raw.index(b">") + 1
        at = head_end + _REFS_END.match(raw, head_end).end() - head_end
        pieces += [body[pos:found.start()], raw[:at], added, raw[at:]]
        pos = found.end()
    if not pieces:
        return False
    parts["word/document.xml"] = b"".join(pieces) + body[pos:]
    parts[rels_name] = _xml(rels)
    types = etree.fromstring(parts["[Content_Types].xml"], _SAFE)
    for name in new_parts:
        etree.SubElement(types, f"{{{_TYPES_NS}}}Override", PartName=f"/{name}",
                         ContentType=_FOOTER_TYPE)
    parts["[Content_Types].xml"] = _xml(types)
    core = etree.fromstring(parts["docProps/core.xml"], _SAFE)
    for key, value in (("identifier", mark), ("keywords", footer_line(mark))):
        node = core.find(_CORE[key])
        (node if node is not None else etree.SubElement(core, _CORE[key])).text = value
    parts["docProps/core.xml"] = _xml(core)
    return True


_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _free(taken: dict, pattern: str) -> str:
    n = 1
    while pattern.format(n) in taken:
        n += 1
    return pattern.format(n)


def _blank_footer() -> bytes:
    """python-docx's own empty footer, as it writes one."""
    path = Path(docx.__file__).parent / "templates" / "default-footer.xml"
    return _xml(etree.fromstring(path.read_bytes(), _SAFE))


def _xml(node: etree._Element) -> bytes:
    return etree.tostring(node, xml_declaration=True, encoding="UTF-8", standalone=True)


def _stamp_docx(data: bytes, mark: str) -> bytes:
    """The mark added through python-docx, which adds a footer where a section has none."""
    doc = open_docx(io.BytesIO(data))
    doc.core_properties.identifier = mark
    doc.core_properties.keywords = footer_line(mark)
    for section in doc.sections:
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            p = footer.add_paragraph()
            run = p.add_run(footer_line(mark))
            run.font.size = Pt(8)
            run.font.name = "Times New Roman"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def find_mark(text: str) -> str:
    """The mark named in a text (a footer, a PDF page), or ""."""
    match = PATTERN.search(text)
    return match.group(1).upper() if match else ""
