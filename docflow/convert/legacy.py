"""Old office formats (.xls, .ods, .doc, .odt) converted by LibreOffice before they are read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docflow.errors import IntakeError

TARGETS = {".xls": "xlsx", ".ods": "xlsx", ".doc": "docx", ".odt": "docx"}
TIMEOUT_SECONDS = 120


def convert_old_format(path: Path, soffice: str = "soffice") -> Path:
    """The file converted to .xlsx/.docx next to it (in a `converted/` folder); the original stays."""
    target = TARGETS[path.suffix.lower()]
    out_dir = path.parent / "converted"
    profile = path.parent / ".lo-profile"  # its own profile: never collides with a running office
    if shutil.which(soffice) is None:
        raise IntakeError(
            f"Chưa đọc được tệp định dạng cũ “{path.suffix}” vì máy chủ chưa cài LibreOffice. "
            f"Đơn vị có thể mở tệp bằng Excel/Word, lưu thành .{target} rồi gửi lại.",
            "intake.no_converter")
    try:
        subprocess.run([soffice, "--headless", "--norestore",
                        f"-env:UserInstallation={profile.resolve().as_uri()}",
                        "--convert-to", target, "--outdir", str(out_dir), str(path)],
                       capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pass
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = out_dir / f"{path.stem}.{target}"
    if not converted.is_file():
        raise IntakeError(
            f"Không chuyển được tệp “{path.name}” từ định dạng cũ: tệp hỏng hoặc có mật khẩu. "
            f"Hãy mở bằng Excel/Word, lưu thành .{target} rồi gửi lại.", "intake.old_format")
    return converted
