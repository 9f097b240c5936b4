"""Old office formats (.xls, .ods, .doc, .odt) converted by LibreOffice before they are read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docflow.errors import IntakeError

TARGETS = {".xls": "xlsx", ".ods": "xlsx", ".doc": "docx", ".odt": "docx"}
TIMEOUT_SECONDS = 120
# The throw-away profile's settings: a unit's file is hostile. Linked images and URLs are not
# fetched (a unit could make the server send requests, or on Windows hand a \\host\share its
# credentials), links and external data are never updated, and no macro runs.
_SETTING = ('<item oor:path="/org.openoffice.Office.{0}"><prop oor:name="{1}" oor:op="fuse">'
            '<value>{2}</value></prop></item>')
LOCKED_DOWN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
    'xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "\n".join(_SETTING.format(*s) for s in (
        ("Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
        ("Common/Security/Scripting", "MacroSecurityLevel", "3"),
        ("Common/Security/Scripting", "DisableMacrosExecution", "true"),
        ("Writer/Content/Update", "Link", "1"),     # 1: never update links
        ("Calc/Content/Update", "Link", "1")))
    + "\n</oor:items>\n")


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
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LOCKED_DOWN, encoding="utf-8")
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
