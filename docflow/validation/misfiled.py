"""A file dropped into another unit's folder: its form names, by code and by name, a known unit
other than the folder's owner. A wrong code alone is an ordinary error the sender fixes."""

from __future__ import annotations

from docflow.config import Config, Unit
from docflow.config import FormSpec
from docflow.models import Submission
from docflow.text import fold
from docflow.values import as_text, is_blank


def owner_elsewhere(sub: Submission, form: FormSpec, config: Config) -> Unit | None:
    """The other unit this file belongs to, when its Mã đơn vị and Tên đơn vị both name it."""
    folder = config.unit(sub.unit_folder)
    code_spec, name_spec = form.field_by_role("unit_code"), form.field_by_role("unit_name")
    if folder is None or code_spec is None or name_spec is None:
        return None
    code, name = sub.fields.get(code_spec.key), sub.fields.get(name_spec.key)
    if code is None or name is None or is_blank(code.value) or is_blank(name.value):
        return None
    owner = config.unit(str(as_text(code.value).value).strip())
    if owner is None or owner.code == folder.code:
        return None
    return owner if fold(str(as_text(name.value).value)) == fold(owner.name) else None
