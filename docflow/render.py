"""Render Word templates with docxtpl in a sandboxed, autoescaping, strict Jinja environment."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import jinja2
from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from docflow import text
from docflow.errors import TemplateError

# Word's AutoCorrect turns quotes typed inside a tag into curly ones Jinja cannot parse.
SMART_QUOTES = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

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
    env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


def sanitize(value: Any) -> Any:
    """Strip characters XML cannot hold from every string in a context."""
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, dict):
        return {k: sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    return value


class _Template(DocxTemplate):
    """docxtpl, plus straight quotes inside tags (docxtpl already joins tags split across runs)."""

    def patch_xml(self, src_xml: str) -> str:
        table = str.maketrans(SMART_QUOTES)
        return _TAG.sub(lambda m: m.group(0).translate(table), super().patch_xml(src_xml))


class Renderer:
    """Renders templates from one folder; each output is reopened before it is handed back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._env = environment()

    def template_path(self, name: str) -> Path:
        """The template file, or a TemplateError that says where it was expected."""
        path = self.folder / name
        if not path.is_file():
            raise TemplateError(f"Thiếu mẫu Word {path}. Hãy chép lại tệp {name} vào thư mục "
                                "mẫu (templates/) rồi chạy `docflow check`.")
        return path

    def template_hash(self, name: str) -> str:
        """sha256 of the template file, recorded with every output it makes."""
        return hashlib.sha256(self.template_path(name).read_bytes()).hexdigest()

    def render(self, name: str, context: dict[str, Any]) -> bytes:
        """The rendered document as bytes; TemplateError names the template and the fault."""
        path = self.template_path(name)
        try:
            doc = _Template(str(path))
            doc.render(sanitize(context), jinja_env=self._env, autoescape=True)
            doc.core_properties.comments = f"docflow template {name} sha256 {self.template_hash(name)}"
            buffer = io.BytesIO()
            doc.save(buffer)
        except jinja2.TemplateError as exc:
            where = f" (dòng {exc.lineno})" if getattr(exc, "lineno", None) else ""
            raise TemplateError(f"Mẫu {name} lỗi khi điền dữ liệu{where}: {exc}. Sửa thẻ "
                                "{{ … }} hoặc {% … %} trong mẫu Word rồi lưu lại.") from exc
        data = buffer.getvalue()
        try:
            open_docx(io.BytesIO(data))
        except Exception as exc:  # python-docx raises many kinds on a broken package
            raise TemplateError(f"Văn bản tạo từ mẫu {name} không mở lại được ({exc}); "
                                "kiểm tra mẫu bằng `docflow check`.") from exc
        return data
