"""File operations that never lose a document: hashing, claiming, atomic delivery, archiving."""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
import unicodedata
from pathlib import Path


def sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def claim(src: Path, work_root: Path, stamp: str) -> Path:
    """Move a file out of the inbox into its own work folder; the move is the claim."""
    folder = work_root / f"{stamp}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    dest = folder / nfc_name(src.name)
    _move(src, dest)
    return dest


def store(src: Path, folder: Path) -> Path:
    """Move a processed original into the archive or rejected area under a free name."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = free_name(folder / src.name)
    _move(src, dest)
    try:
        src.parent.rmdir()
    except OSError:
        pass
    return dest


def deliver(data: bytes, dest: Path) -> Path:
    """Write bytes so that `dest` appears complete or not at all."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f".{dest.name}.{secrets.token_hex(3)}.part")
    try:
        with part.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, dest)
    finally:
        if part.exists():
            part.unlink()
    return dest


def free_name(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … whichever does not exist yet."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def nfc_name(name: str) -> str:
    """File names in NFC (macOS and some tools write NFD)."""
    return unicodedata.normalize("NFC", name)


def _move(src: Path, dest: Path) -> None:
    """Rename; across filesystems copy, fsync, rename, and only then remove the source."""
    try:
        os.rename(src, dest)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    part = dest.with_name(f".{dest.name}.part")
    shutil.copy2(src, part)
    with part.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(part, dest)
    src.unlink()
