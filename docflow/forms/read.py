"""Pick the reader for a received file by its type; refuse what must never be opened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docflow.config import Intake
from docflow.errors import IntakeError
from docflow.convert import TARGETS, Converter, convert_old_format
from docflow.forms.read_docx import read_document
from docflow.forms.read_xlsx import read_workbook
from docflow.config import FormSpec
from docflow.models import Submission
from docflow.forms.unzip import check_package, extract

UNZIPPED = "unzipped"

MACRO_TYPES = {".xlsm", ".docm", ".xltm", ".dotm", ".xlsb"}


FORM_TYPES = {".xlsx", ".docx", *TARGETS}


def read_form(path: Path, unit_folder: str, forms: dict[str, FormSpec],
              intake: Intake = Intake(), converter: Converter | None = None,
              soffice: str = "soffice") -> Submission:
    """Read a received form into a Submission, or raise IntakeError saying what to send instead.

    Old formats are converted by `converter` (the workspace's kept-running LibreOffice) or, when
    there is none, by a one-off LibreOffice at the configured `soffice` path."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zip(path, unit_folder, forms, intake, converter, soffice)
    if suffix in MACRO_TYPES:
        kind = "Word Document (.docx)" if suffix.startswith((".doc", ".dot")) \
            else "Excel Workbook (.xlsx)"
        raise IntakeError(
            f"Tệp “{path.name}” có thể chứa macro nên không được mở. Hãy lưu lại dưới dạng "
            f"{kind} rồi gửi lại.", "intake.macro")
    if suffix in (".xlsx", ".docx"):
        check_package(path, intake.max_zip_bytes, intake.max_zip_entries)
    if suffix == ".xlsx":
        return read_workbook(path, unit_folder, forms)
    if suffix == ".docx":
        return read_document(path, unit_folder, forms)
    if suffix in TARGETS:
        converted = convert_old_format(path, converter, soffice)
        sub = read_form(converted, unit_folder, forms, intake)
        # .ods and .odt are current OpenDocument formats, not old ones: say only what was done.
        kind = "định dạng cũ" if suffix in (".xls", ".doc") else "định dạng OpenDocument"
        note = (f"Tệp {kind} {suffix} đã được chuyển sang .{TARGETS[suffix]} bằng "
                f"LibreOffice trước khi đọc" + (f"; lần sau đơn vị nên gửi .{TARGETS[suffix]}."
                                                 if suffix in (".xls", ".doc") else "."))
        return replace(sub, file_name=path.name, notes=(note, *sub.notes))
    raise IntakeError(
        f"Chưa nhận loại tệp “{suffix or path.name}”. Hãy gửi biểu mẫu đã điền dạng Excel "
        "(.xlsx, .xls, .ods) hoặc Word (.docx, .doc, .odt).", "intake.unsupported")


def _read_zip(path: Path, unit_folder: str, forms: dict[str, FormSpec], intake: Intake,
              converter: Converter | None, soffice: str) -> Submission:
    """A .zip holding one form and its PDFs: the PDFs stay beside it for the attachment check."""
    files = extract(path, path.parent / UNZIPPED, intake.max_zip_bytes, intake.max_zip_entries)
    candidates = [f for f in files if f.suffix.lower() in FORM_TYPES | MACRO_TYPES]
    if len(candidates) != 1:
        found = ", ".join(f.name for f in candidates) or "không có"
        raise IntakeError(f"Mỗi tệp .zip phải chứa đúng một biểu mẫu (kèm các tệp PDF); tệp này "
                          f"có: {found}.", "zip.forms")
    sub = read_form(candidates[0], unit_folder, forms, intake, converter, soffice)
    note = f"Đã giải nén “{path.name}”: biểu mẫu “{candidates[0].name}” và {len(files) - 1} tệp kèm."
    return replace(sub, file_name=path.name, notes=(note, *sub.notes))
