"""What in the inbox is a submission: ignore rules, unit folders, and listing what waits."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from docflow.fsops import nfc_name

# Office/LibreOffice lock and temp files, OS litter, partial copies: never submissions.
IGNORED = ("~$*", "~WR*.tmp", ".~lock.*#", "Thumbs.db", "desktop.ini", ".DS_Store", "._*",
           "*.part", "*.tmp", "*.crdownload", "README.md")


def is_ignored(name: str) -> bool:
    """True for files that are never submissions (lock, temp, hidden, OS files)."""
    if name.startswith("."):
        return True
    return any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(name.lower(), pattern.lower())
               for pattern in IGNORED)


def unit_of(path: Path, inbox: Path) -> str:
    """The unit folder a file was dropped in; "" for the inbox root."""
    rel = path.relative_to(inbox)
    return nfc_name(rel.parts[0]) if len(rel.parts) > 1 else ""


def waiting(inbox: Path) -> list[Path]:
    """Files waiting in the inbox root and unit folders (not deeper), oldest first."""
    if not inbox.is_dir():
        return []
    found = [p for p in inbox.iterdir() if p.is_file() and not is_ignored(p.name)]
    for folder in inbox.iterdir():
        if folder.is_dir() and not folder.name.startswith((".", "_")):
            found += [p for p in folder.iterdir() if p.is_file() and not is_ignored(p.name)]

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    return sorted(found, key=mtime)
