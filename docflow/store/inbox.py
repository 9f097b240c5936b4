"""What in the inbox is a submission: ignore rules, unit folders, and listing what waits."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

from docflow.store.fsops import nfc_name

# Office/LibreOffice lock and temp files, OS litter, partial copies and downloads: never
# submissions. Matched case-insensitively, because Windows clients write THUMBS.DB as readily.
IGNORED = ("~$*", "~WR*.tmp", "~*.tmp", ".~lock.*#", "Thumbs.db", "ehthumbs.db", "desktop.ini",
           ".DS_Store", "._*", "*.part", "*.partial", "*.tmp", "*.temp", "*.crdownload",
           "*.download", "*.~*", "README.md")
# Excel saving on a share first writes an extension-less temp named by 8 hex digits, then renames it.
_EXCEL_SAVE_TEMP = re.compile(r"^[0-9A-F]{8}$", re.IGNORECASE)


def is_ignored(name: str) -> bool:
    """True for files that are never submissions (lock, temp, hidden, OS files)."""
    if not name or name.startswith(".") or _EXCEL_SAVE_TEMP.match(name):
        return True
    folded = name.lower()
    return any(fnmatch.fnmatchcase(folded, pattern.lower()) for pattern in IGNORED)


# The office's own inbox folder for signed decisions: not a unit, but taken like one.
OFFICE_FOLDERS = ("_ban-hanh",)


def is_unit_folder(name: str) -> bool:
    """Unit folders are plain names; `.x` (hidden, recycle bins) and `_x` (docflow's own) are not."""
    return bool(name) and not name.startswith((".", "_", "$", "~"))


def is_candidate(path: Path, inbox: Path) -> bool:
    """True when a path could be a submission: in the inbox root or a unit folder, not ignored."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return False
    if len(parts) == 2 and not is_unit_folder(parts[0]) and parts[0] not in OFFICE_FOLDERS:
        return False
    return len(parts) in (1, 2) and not is_ignored(parts[-1])


def unit_of(path: Path, inbox: Path) -> str:
    """The unit folder a file was dropped in; "" for the inbox root."""
    rel = path.relative_to(inbox)
    return nfc_name(rel.parts[0]) if len(rel.parts) > 1 else ""


def waiting(inbox: Path) -> list[Path]:
    """Files waiting in the inbox root and unit folders (not deeper): PDFs, then oldest first."""
    if not inbox.is_dir():
        return []
    found = [p for p in _files(inbox) if not is_ignored(p.name)]
    for folder in _folders(inbox):
        if is_unit_folder(folder.name) or folder.name in OFFICE_FOLDERS:
            found += [p for p in _files(folder) if not is_ignored(p.name)]

    def order(p: Path) -> tuple[bool, float]:
        # Attachments first, so the forms that name them find them already kept.
        try:
            return (p.suffix.lower() != ".pdf", p.stat().st_mtime)
        except OSError:
            return (True, 0.0)
    return sorted(found, key=order)


def nested(inbox: Path, limit: int = 1000) -> list[Path]:
    """Files in subfolders of unit folders: never taken (a folder `cũ/` may hold old versions),
    but each one is answered. Links to folders are not walked; at most `limit` files."""
    found: list[Path] = []
    for folder in _folders(inbox) if inbox.is_dir() else []:
        if not is_unit_folder(folder.name) or folder.is_symlink():
            continue
        for sub in _folders(folder):
            if sub.is_symlink():
                continue
            for root, dirs, files in os.walk(sub):  # followlinks=False: links are not walked
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [Path(root) / f for f in files if not is_ignored(f)]
                if len(found) >= limit:
                    return found[:limit]
    return found


def _files(folder: Path) -> list[Path]:
    # A unit folder removed or renamed mid-scan is not an error: the next scan sees the new state.
    try:
        # A link is listed (is_file follows it, and a broken one would wait unanswered): the
        # pipeline refuses it rather than reading another unit's files through it.
        return [p for p in folder.iterdir() if p.is_symlink() or p.is_file()]
    except OSError:
        return []


def _folders(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir()]
    except OSError:
        return []
