"""Safe extraction of a .zip a unit sends (a workbook with its PDFs): no bombs, no path tricks."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from docflow.errors import IntakeError
from docflow.store import nfc_name
from docflow.store import is_ignored


def extract(path: Path, dest: Path, max_bytes: int, max_entries: int) -> list[Path]:
    """Extract regular files flat into `dest`, refusing archives past the limits."""
    try:
        with zipfile.ZipFile(path) as zf:
            entries = [i for i in zf.infolist() if not i.is_dir()]
            if len(entries) > max_entries:
                raise IntakeError(f"Tệp nén có {len(entries)} tệp, quá giới hạn {max_entries}. "
                                  "Hãy chỉ nén biểu mẫu và các tệp PDF kèm theo.", "zip.too_many")
            if any(i.flag_bits & 0x1 for i in entries):
                raise IntakeError("Tệp nén có mật khẩu nên không mở được. Hãy nén lại không đặt "
                                  "mật khẩu rồi gửi lại.", "zip.encrypted")
            declared = sum(i.file_size for i in entries)
            if declared > max_bytes:
                raise IntakeError(_too_big(max_bytes), "zip.too_big")
            dest.mkdir(parents=True, exist_ok=True)
            out, written = [], 0
            for info in entries:
                name = nfc_name(PurePosixPath(info.filename.replace("\\", "/")).name)
                if not name or is_ignored(name) or name.startswith("__MACOSX"):
                    continue
                target = dest / name  # flattened: "../x" and absolute names cannot escape
                with zf.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > max_bytes:  # the declared sizes may lie
                            raise IntakeError(_too_big(max_bytes), "zip.too_big")
                        dst.write(chunk)
                out.append(target)
            return out
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise IntakeError("Không mở được tệp nén .zip: tệp hỏng hoặc nén bằng cách không hỗ "
                          "trợ. Hãy nén lại bằng chức năng “Send to → Compressed (zipped) "
                          "folder” của Windows rồi gửi lại.", "zip.unreadable") from exc


def check_package(path: Path, max_bytes: int, max_entries: int) -> None:
    """An .xlsx/.docx is a zip too: refuse one that would unpack past the limits."""
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            if len(entries) > max_entries or sum(i.file_size for i in entries) > max_bytes:
                raise IntakeError(
                    f"Tệp “{path.name}” khi giải nén vượt quá {max_bytes // (1 << 20)} MB hoặc "
                    f"{max_entries} phần: không phải một biểu mẫu bình thường. Hãy mở bằng "
                    "Excel/Word, lưu lại rồi gửi lại.", "intake.too_big")
            if any(_declares_entities(zf, i) for i in entries):
                raise IntakeError(
                    f"Tệp “{path.name}” chứa khai báo XML (DOCTYPE/ENTITY) mà Excel và Word không "
                    "bao giờ tạo ra, nên không được mở. Hãy mở bằng Excel/Word, lưu lại rồi gửi "
                    "lại.", "intake.xml_entities")
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return  # the reader says the file is broken, in its own words


def _declares_entities(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A DOCTYPE can only stand before the root element: the first bytes of a part tell."""
    if not info.filename.endswith((".xml", ".rels")):
        return False
    with zf.open(info) as fh:
        head = fh.read(4096).upper()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _too_big(limit: int) -> str:
    return (f"Tệp nén khi giải nén vượt quá {limit // (1 << 20)} MB. Hãy gửi riêng từng tệp hoặc "
            "giảm dung lượng các tệp PDF.")
