"""A workspace for the dashboard: the shipped config plus deadlines and three accounts."""

from __future__ import annotations

from pathlib import Path

from builders import workspace

from docflow.web import hash_password

PASSWORDS = {"vanphong": "mat-khau-van-phong", "syt": "mat-khau-so-y-te",
             "snv": "mat-khau-so-noi-vu"}
UNITS = {"vanphong": "", "syt": "SYT", "snv": "SNV"}
CHEAP = 2**10  # scrypt cost for tests only; the real default is set in docflow.web.passwords


def dashboard_workspace(tmp: Path, web: str = "enabled = false") -> Path:
    """A fresh workspace whose config has [[deadlines]] (DN by 30/11/2025, BC Năm 2025 by
    20/12/2025), `web` lines in [web], and [[web.accounts]]: the office (vanphong) and two
    units (syt, snv)."""
    path = workspace(tmp)
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[web]")  # the shipped block goes; this campaign's replaces it
    path.write_text(text[:start] + text[text.index("\n\n", start):], encoding="utf-8")
    lines = ["", "[[deadlines]]", 'form = "DN"', "date = 2025-11-30",
             "", "[[deadlines]]", 'form = "BC"', 'period = "Năm 2025"', "date = 2025-12-20",
             "", "[web]", web]
    for name, password in PASSWORDS.items():
        lines += ["", "[[web.accounts]]", f'name = "{name}"',
                  f'password_hash = "{hash_password(password, n=CHEAP)}"',
                  f'unit = "{UNITS[name]}"']
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def basic(name: str) -> dict[str, str]:
    """The Authorization header of one of the test accounts."""
    import base64

    token = base64.b64encode(f"{name}:{PASSWORDS[name]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}
