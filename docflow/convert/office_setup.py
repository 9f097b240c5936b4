"""How each LibreOffice is set up before it starts: its profile's settings and its environment."""

from __future__ import annotations

import os
from pathlib import Path

# Every profile's settings: a unit's file (an old-format upload) is hostile. Linked images and URLs are not
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


def lock_down(profile: Path) -> None:
    """Give a LibreOffice profile folder the settings above, before LibreOffice starts on it."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LOCKED_DOWN, encoding="utf-8")


# LibreOffice spends a fifth of a long list's conversion in glibc's malloc and free; with
# jemalloc (Debian's libjemalloc2) loaded in its place the same parts take about a third less
# LibreOffice CPU time in bench/large_list.py, for the same memory. Without it, glibc's is used.
JEMALLOC = tuple(f"/usr/lib{arch}/libjemalloc.so.2" for arch in (
    "/x86_64-linux-gnu", "/aarch64-linux-gnu", "64", ""))


def office_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a LibreOffice and its UNO bridge start with: docflow's own, with
    jemalloc preloaded where it is installed (DOCFLOW_OFFICE_MALLOC=system keeps glibc's)."""
    env = dict(os.environ if environ is None else environ)
    if os.name != "posix" or env.get("DOCFLOW_OFFICE_MALLOC") == "system":
        return env
    found = next((lib for lib in JEMALLOC if Path(lib).is_file()), None)
    if found is not None and found not in env.get("LD_PRELOAD", ""):
        env["LD_PRELOAD"] = " ".join(filter(None, [env.get("LD_PRELOAD", ""), found]))
    return env
