"""Old office formats (.xls, .ods, .doc, .odt) converted by LibreOffice before they are read.

The kept-running pool does it when the workspace has one; otherwise (PDF output turned off) a
one-off `soffice` at the configured path. Either way the original stays where it is.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docflow.convert.office_setup import lock_down
from docflow.convert.pool import Converter
from docflow.errors import ConversionError, IntakeError

TARGETS = {".xls": "xlsx", ".ods": "xlsx", ".doc": "docx", ".odt": "docx"}
TIMEOUT_SECONDS = 120
def convert_old_format(path: Path, converter: Converter | None = None,
                       soffice: str = "soffice") -> Path:
    """The file converted to .xlsx/.docx next to it (in a `converted/` folder); the original stays."""
    target = TARGETS[path.suffix.lower()]
    out_dir = path.parent / "converted"
    converted = out_dir / f"{path.stem}.{target}"
    if converter is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            converter.convert_to(path, converted, target)
            return converted
        except ConversionError:
            pass  # a fake, or an office that refused it: one cold try below says what is wrong
    _cold(path, out_dir, target, soffice)
    if not converted.is_file():
        raise IntakeError(
            f"Không chuyển được tệp “{path.name}” từ định dạng cũ: tệp hỏng hoặc có mật khẩu. "
            f"Hãy mở bằng Excel/Word, lưu thành .{target} rồi gửi lại.", "intake.old_format")
    return converted


def _cold(path: Path, out_dir: Path, target: str, soffice: str) -> None:
    """One `soffice --convert-to` with a profile of its own (never a running office's)."""
    if shutil.which(soffice) is None:
        raise IntakeError(
            f"Chưa đọc được tệp định dạng cũ “{path.suffix}” vì máy chủ chưa cài LibreOffice. "
            f"Đơn vị có thể mở tệp bằng Excel/Word, lưu thành .{target} rồi gửi lại.",
            "intake.no_converter")
    profile = path.parent / ".lo-profile"
    lock_down(profile)
    try:
        subprocess.run([soffice, "--headless", "--norestore",
                        f"-env:UserInstallation={profile.resolve().as_uri()}",
                        "--convert-to", target, "--outdir", str(out_dir), str(path)],
                       capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pass
    finally:
        shutil.rmtree(profile, ignore_errors=True)
