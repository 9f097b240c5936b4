"""Render Word templates with docxtpl in a sandboxed, autoescaping, strict Jinja environment."""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from docflow import text
from docflow.documents.deflated import Joiner, Piece, deflate, write_joined
from docflow.documents.marks import stamp, stamped_parts
from docflow.documents.segments import SegmentCache, SegmentStats, marker, new_token, split
from docflow.documents.template_errors import template_error, undefined_message
from docflow.errors import TemplateError

# Word's AutoCorrect turns quotes typed inside a tag into curly ones Jinja cannot parse.
SMART_QUOTES = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

_RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|docProps/core\.xml")
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True)

# XML 1.0 forbids these; a clerk's pasted text sometimes carries them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FILTERS = {
    "nd30_date": text.nd30_date,
    "short_date": text.short_date,
    "number": text.format_number,
    "money": text.format_money,
    "words": text.number_to_words,
    "money_words": text.money_words,
    "upper_vi": text.upper_vi,
    "sort_vi": lambda items: sorted(items, key=text.collation_key),
    "sort_given_name": lambda items: sorted(items, key=text.given_name_key),
}


def environment() -> jinja2.Environment:
    """The only Jinja environment templates run in: no Python access, no undefined names."""
    env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True,
                                        loader=jinja2.FunctionLoader(lambda name: None))
    env.filters.update(FILTERS)  # the loader finds nothing: no include, import or extends
    return env


class _Template(DocxTemplate):
    """docxtpl's tag clean-up (it joins tags Word split across runs), plus straight quotes."""

    def patch_xml(self, src_xml: str) -> str:
        table = str.maketrans(SMART_QUOTES)
        return _TAG.sub(lambda m: m.group(0).translate(table), super().patch_xml(src_xml))


def _reopen(data: bytes, name: str, checked: set[str]) -> None:
    """Every part rendering wrote must parse: Word refuses a document otherwise (`checked`
    parts were parsed piece by piece while they were made)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for part in zf.namelist():
                if _RENDERED.fullmatch(part) and part not in checked:
                    etree.fromstring(zf.read(part), _STRICT)
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise TemplateError(f"Văn bản tạo từ mẫu {name} không mở lại được ({exc}); "
                            "kiểm tra mẫu bằng `docflow check`.") from exc


@dataclass(frozen=True)
class _Compiled:
    """A template read once: its zip entries, the XML parts compiled to Jinja templates."""

    stamp: tuple[int, int]
    sha256: str
    entries: tuple[tuple[zipfile.ZipInfo, Any], ...]
    segments: dict[str, tuple] = field(default_factory=dict)  # part → its cut-out table loops


class Renderer:
    """Renders templates from one folder; each output is reopened before it is handed back.

    A template is parsed and compiled once and kept until its file changes: docxtpl would
    re-open the package with python-docx and recompile every part on every render. The tables
    of its big lists are rendered once per content (documents/segments.py); `stats` says how
    many the last render of each template made and reused.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._env = environment()
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()
        self._token = new_token()
        token = re.escape(self._token.encode("utf-8"))
        self._markers = re.compile(b"(" + token + rb"\d+" + token + b")")
        self._cache = SegmentCache()
        self._joiners: dict[tuple, Joiner] = {}  # per list of a template: its last joining
        self.stats: dict[str, SegmentStats] = {}

    def template_path(self, name: str) -> Path:
        """The template file, or a TemplateError that says where it was expected."""
        path = self.folder / name
        if not path.is_file():
            raise TemplateError(f"Thiếu mẫu Word {path}. Hãy chép lại tệp {name} vào thư mục "
                                "mẫu (templates/) rồi chạy `docflow check`.")
        return path

    def template_hash(self, name: str) -> str:
        """sha256 of the template file, recorded with every output it makes."""
        return self._compile(name).sha256

    def render(self, name: str, context: dict[str, Any], mark: str = "") -> bytes:
        """The rendered document as bytes, with its Mã dự thảo when `mark` is given (as
        marks.stamp adds it, without zipping a long list twice); TemplateError names the
        template and the fault."""
        compiled = self._compile(name)
        stats, checked = SegmentStats(), set()
        buffer = io.BytesIO()
        try:
            parts: dict[str, Any] = {}
            lists: dict[str, dict[bytes, tuple]] = {}  # part → its lists, by marker
            for info, content in compiled.entries:
                if isinstance(content, jinja2.Template):
                    content, lists[info.filename] = self._fill(
                        compiled, info.filename, content, context, checked)
                parts[info.filename] = content
            # the mark goes into the sections, which sit in the frame around the lists
            marked = stamped_parts(parts, mark) if mark else parts
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
                for info, _ in compiled.entries:
                    content = (marked or parts).pop(info.filename)
                    if lists.get(info.filename):
                        write_joined(out, info, self._joined(
                            compiled, info.filename, content, lists[info.filename], stats))
                    else:
                        out.writestr(info, content)
                for added, content in (marked or {}).items():  # the mark's new footers
                    out.writestr(added, content)
        except jinja2.UndefinedError as exc:
            raise TemplateError(undefined_message(name, str(exc), context)) from exc
        except jinja2.TemplateError as exc:
            raise template_error(name, exc) from exc
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"Văn bản tạo từ mẫu {name} không mở lại được ({exc}); "
                                "kiểm tra mẫu bằng `docflow check`.") from exc
        except Exception as exc:  # noqa: BLE001 - any fault a template can cause is the template's
            raise TemplateError(f"Mẫu {name} lỗi khi điền dữ liệu: {type(exc).__name__}: {exc}. "
                                "Sửa thẻ trong mẫu Word rồi chạy `docflow check`.") from exc
        data = buffer.getvalue()
        _reopen(data, name, checked)
        self.stats[name] = stats
        return stamp(data, mark) if mark and marked is None else data

    def _fill(self, compiled: _Compiled, part: str, template: jinja2.Template,
              context: dict[str, Any], checked: set[str]) -> tuple[bytes, dict[bytes, tuple]]:
        """One part rendered: the template around its segments, with each segment's marker
        left in place, and what each segment lists (made or found in the cache once the mark
        is in the frame: `_joined`). Characters XML cannot hold are dropped from the output
        (they can only come from the context), before line breaks and tabs are resolved."""
        xml = _clean(template.render(context))
        segments = compiled.segments.get(part, ())
        if not segments:
            return xml.encode("utf-8"), {}
        frame = _frame(xml, [marker(self._token, s.index) for s in segments])
        lists = {}
        for segment in segments:
            if marker(self._token, segment.index) not in xml:
                continue  # inside an {% if %} that was false: the whole render skips it too
            if segment.source not in context:
                raise jinja2.UndefinedError(f"'{segment.source}' is undefined")
            lists[marker(self._token, segment.index).encode("utf-8")] = (
                segment, context[segment.source],
                lambda made: _checked(_clean(made), frame))
        checked.add(part)
        return xml.encode("utf-8"), lists

    def _joined(self, compiled: _Compiled, part: str, frame: bytes,
                lists: dict[bytes, tuple], stats: SegmentStats) -> list[Piece]:
        """The part's pieces in order, each deflated after the one before it: the frame's text
        between the markers, deflated now, and each list's items where its marker stands."""
        pieces: list[Piece] = []
        tail = b""
        for i, text in enumerate(self._markers.split(frame)):
            if i % 2 and text in lists:
                segment, items, finish = lists[text]
                made, tail = self._cache.fill(compiled.sha256, segment, items, finish, stats,
                                              tail)
                joiner = self._joiners.setdefault((compiled.sha256, part, segment.index),
                                                  Joiner())
                pieces += [joiner.join(made)] if made else []
            elif text:
                pieces.append(deflate(text, tail))
                tail = pieces[-1].tail
        return pieces

    def _compile(self, name: str) -> _Compiled:
        path = self.template_path(name)
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._compiled.get(name)
            if cached is not None and cached.stamp == stamp:
                return cached
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        entries, segments = [], {}
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                for info in zf.infolist():
                    content: Any = zf.read(info)
                    if _RENDERED.fullmatch(info.filename):
                        content, segments[info.filename] = self._prepare(info.filename, content,
                                                                         name, digest)
                    entries.append((info, content))
        except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise TemplateError(f"Mẫu {name} không phải tệp Word .docx đọc được ({exc}); mở "
                                "bằng Word và lưu lại dạng Word Document (.docx).") from exc
        except jinja2.TemplateError as exc:
            raise template_error(name, exc) from exc
        compiled = _Compiled(stamp, digest, tuple(entries), segments)
        with self._lock:
            self._compiled[name] = compiled
        return compiled

    def _prepare(self, part: str, content: bytes, name: str, digest: str) -> tuple[Any, tuple]:
        """A part as docxtpl prepares it (parsed, re-serialised, tags cleaned), compiled, with
        its table loops cut out to be rendered per item."""
        xml = etree.tostring(etree.fromstring(content, _STRICT), encoding="unicode")
        if part == "docProps/core.xml":
            return _describe(xml, f"docflow template {name} sha256 {digest}").encode("utf-8"), ()
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", _PATCHER.patch_xml(xml))
        xml, segments = split(xml, self._env, self._token)
        return self._env.from_string(_XML_DECLARATION + xml), segments


def _frame(xml: str, markers: list[str]) -> tuple[str, str]:
    """The part without its segments must parse; its root element then frames each segment's
    XML when that is parsed (for the namespace prefixes)."""
    bare = xml
    for mark in markers:
        bare = bare.replace(mark, "", 1)
    root = etree.fromstring(bare.encode("utf-8"), _STRICT)
    opening = re.search(r"<[^?!][^>]*>", bare)
    return opening.group(0), f"</{root.prefix}:{etree.QName(root).localname}>" \
        if root.prefix else f"</{etree.QName(root).localname}>"


def _checked(xml: str, frame: tuple[str, str]) -> str:
    """The XML of one segment item, parsed once inside the part's root before it is kept."""
    etree.fromstring((frame[0] + xml + frame[1]).encode("utf-8"), _STRICT)
    return xml


def _clean(xml: str) -> str:
    """Rendered XML without the characters XML 1.0 forbids, docxtpl's clean-up done."""
    return _finish(_ILLEGAL_XML.sub("", xml))


def _finish(xml: str) -> str:
    """docxtpl's clean-up after Jinja: paragraph joins, escaped braces, tabs and line breaks."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing walks every paragraph; only text holding a tab or line break needs it
    return _PATCHER.resolve_listing(xml) if _BREAK_IN_TEXT.search(xml) else xml


def _describe(core_xml: str, text: str) -> str:
    """Set dc:description (Word's Comments property) in docProps/core.xml."""
    root = etree.fromstring(core_xml.encode("utf-8"), _STRICT)
    tag = "{http://purl.org/dc/elements/1.1/}description"
    node = root.find(tag)
    if node is None:
        node = etree.SubElement(root, tag)
    node.text = text
    return _XML_DECLARATION + etree.tostring(root, encoding="unicode")


_PATCHER = object.__new__(_Template)  # patch_xml and resolve_listing use no document state
_BREAK_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
