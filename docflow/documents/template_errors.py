"""What a template's fault says to the person who edits it in Word: the variable it named
that docflow does not have and the nearest one that it does, or the tag Jinja could not read."""

from __future__ import annotations

import difflib
import re
from typing import Any

import jinja2

from docflow.errors import TemplateError

_UNDEFINED = re.compile(r"'(?P<name>[^']+)' is undefined")
_NO_ATTRIBUTE = re.compile(r"'(?P<owner>[^']+)' has no attribute '(?P<name>[^']+)'")


def undefined_message(template: str, error: str, context: dict[str, Any]) -> str:
    """Jinja's "'x' is undefined" for a person editing the template in Word: the nearest name
    docflow provides, and every name they can use."""
    found = _UNDEFINED.search(error)
    if found:
        name, usable = found.group("name"), sorted(context)
    else:
        found = _NO_ATTRIBUTE.search(error)
        if not found:
            return f"Mẫu {template} dùng một giá trị không có ({error}). Sửa thẻ trong mẫu Word."
        name, usable = found.group("name"), sorted(_inner_names(context))
    near = difflib.get_close_matches(name, usable, n=1, cutoff=0.5)
    guess = f" Có phải ý bạn là {near[0]}?" if near else ""
    return (f"Mẫu {template} dùng biến {name} nhưng docflow không có biến này.{guess} Tìm "
            f"“{name}” trong mẫu Word (Ctrl+F) và sửa lại. Các biến dùng được: "
            + ", ".join(usable) + ".")


def _inner_names(context: dict[str, Any]) -> set[str]:
    """Keys one level down (a row of a table, a unit's fields): what `x.name` can read."""
    names: set[str] = set()
    for value in context.values():
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, dict):
                names.update(k for k in item if isinstance(k, str))
    return names


def template_error(name: str, exc: jinja2.TemplateError) -> TemplateError:
    """A Jinja fault of a template, said for the person who edits it."""
    where = f" (dòng {exc.lineno})" if getattr(exc, "lineno", None) else ""
    return TemplateError(f"Mẫu {name} lỗi khi điền dữ liệu{where}: {exc}. Sửa thẻ "
                         "{{ … }} hoặc {% … %} trong mẫu Word rồi lưu lại.")
