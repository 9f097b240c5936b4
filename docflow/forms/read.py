"""Pick the reader for a received file by its type; refuse what must never be opened."""

from __future__ import annotations

from pathlib import Path

from docflow.errors import IntakeError
from docflow.forms.read_xlsx import read_workbook
from docflow.forms.spec import FormSpec
from docflow.models import Submission

MACRO_TYPES = {".xlsm", ".docm", ".xltm", ".dotm", ".xlsb"}


def read_form(path: Path, unit_folder: str, forms: dict[str, FormSpec]) -> Submission:
    """Read a received form into a Submission, or raise IntakeError saying what to send instead."""
    suffix = path.suffix.lower()
    if suffix in MACRO_TYPES:
        raise IntakeError(
            f"Tệp “{path.name}” có thể chứa macro nên không được mở. Hãy lưu lại dưới dạng "
            "Excel Workbook (.xlsx) rồi gửi lại.", "intake.macro")
    if suffix == ".xlsx":
        return read_workbook(path, unit_folder, forms)
    raise IntakeError(
        f"Chưa nhận loại tệp “{suffix or path.name}”. Hãy gửi biểu mẫu dạng Excel (.xlsx) "
        "đã điền.", "intake.unsupported")
