"""File operations that never lose a document: hashing, claiming, atomic delivery, archiving."""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
import unicodedata
from pathlib import Path

PART = ".part"
NAME_BYTES = 255  # the longest file name most filesystems accept


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
    try:
        _move(src, dest)
    except OSError:  # taken by another process, or unreadable: leave no empty claim behind
        folder.rmdir()
        raise
    return dest


def store(src: Path, folder: Path, name: str = "") -> Path:
    """Move a processed original into the archive or rejected area under a free name."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name if name else free_name(folder / src.name)
    _move(src, dest)
    try:
        src.parent.rmdir()
    except OSError:
        pass
    return dest


def deliver(data: bytes, dest: Path, staging: Path | None = None) -> Path:
    """Write bytes so that `dest` appears complete or not at all."""
    part = stage(data, dest, staging)
    try:
        os.replace(part, dest)
    finally:
        if part.exists():
            part.unlink()
    return dest


def stage(data: bytes, dest: Path, staging: Path | None = None) -> Path:
    """Write bytes, synced, to a temporary that os.replace then publishes as `dest`.

    The temporary lives in `staging` (out of the users' sight) when it is on the same
    filesystem as `dest`; across filesystems (an outbox on a network share) a rename cannot
    cross, so it is a hidden file beside `dest`.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    folder = dest.parent
    if staging is not None:
        staging.mkdir(parents=True, exist_ok=True)
        if os.stat(staging).st_dev == os.stat(dest.parent).st_dev:
            folder = staging
    part = folder / f".{dest.name[:200]}.{secrets.token_hex(3)}{PART}"
    try:
        with part.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        if part.exists():
            part.unlink()
        raise
    return part


def sweep_parts(root: Path) -> None:
    """Remove temporaries docflow left in the outbox when it was killed mid-write."""
    if root.is_dir():
        for part in root.rglob(f".*{PART}"):
            part.unlink(missing_ok=True)


def free_name(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … whichever does not exist yet (within 255 bytes)."""
    if not path.exists():
        return path
    n = 2
    while True:
        tail = f"-{n}{path.suffix}"
        stem = path.stem
        while len((stem + tail).encode("utf-8")) > NAME_BYTES:
            stem = stem[:-1]
        candidate = path.with_name(stem + tail)
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
