"""What `docflow check` tells an administrator about a Word template beyond "it renders"."""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate

from docflow.documents.render import SMART_QUOTES, environment

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def variables(path: Path) -> set[str]:
    """Top-level names a template reads (body, tables, headers, footers)."""
    return set(DocxTemplate(str(path)).get_undeclared_template_variables(environment()))


def lint(path: Path, available: set[str]) -> list[str]:
    """Warnings about a template: unknown variables, tags split across runs, smart quotes."""
    notes = []
    unknown = sorted(variables(path) - available)
    if unknown:
        named = [name + "".join(f" (có phải ý bạn là {near}?)" for near in
                                difflib.get_close_matches(name, sorted(available), n=1, cutoff=0.5))
                 for name in unknown]
        notes.append("dùng biến docflow không cung cấp: " + ", ".join(named)
                     + "; các biến có sẵn: " + ", ".join(sorted(available)))
    with zipfile.ZipFile(path) as zf:
        parts = [n for n in zf.namelist() if _PARTS.fullmatch(n)]
        for part in parts:
            for paragraph in _PARAGRAPH.findall(zf.read(part).decode("utf-8")):
                runs = _TEXT.findall(paragraph)
                text = "".join(runs)
                for tag in _TAG.findall(text):
                    where = f"đoạn “{_short(text)}”"
                    if not any(tag in run for run in runs):
                        notes.append(f"thẻ {tag} bị Word tách thành nhiều đoạn định dạng ở {where}; "
                                     "docflow tự nối lại, nhưng nên gõ lại thẻ liền một lần")
                    if any(q in tag for q in SMART_QUOTES):
                        notes.append(f"thẻ {tag} có dấu nháy cong “ ” ‘ ’ ở {where}; docflow tự "
                                     "đổi thành nháy thẳng, nên tắt AutoCorrect dấu nháy trong Word")
    return notes


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
