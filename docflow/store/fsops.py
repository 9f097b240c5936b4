"""File operations that never lose a document: hashing, claiming, atomic delivery, archiving."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path

from docflow.store.hosts import HOST, pid_alive

PART = ".part"
NAME_BYTES = 255  # the longest file name most filesystems accept
# A temporary names its writer (pid@host): on this machine a dead writer's is swept at once;
# another machine's only when older than this, since it may be writing it right now.
PART_MAX_AGE = 6 * 3600.0
_HOST_TAG = re.sub(r"[^A-Za-z0-9-]", "-", HOST)[:40] or "host"
_WRITER = re.compile(r"\.(\d+)@([A-Za-z0-9-]+)\.[0-9a-f]*\.part$")


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
    part = folder / f".{dest.name[:150]}.{_writer()}{secrets.token_hex(3)}{PART}"
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


def sweep_parts(root: Path, now: float | None = None) -> None:
    """Remove temporaries docflow left when it was killed mid-write: only those certainly
    abandoned, never one another live process or machine is writing."""
    if root.is_dir():
        now = time.time() if now is None else now
        for part in root.rglob(f".*{PART}"):
            if _abandoned(part, now):
                part.unlink(missing_ok=True)


def _writer() -> str:
    """This process as a temporary's writer: `<pid>@<host>.`"""
    return f"{os.getpid()}@{_HOST_TAG}."


def _abandoned(part: Path, now: float) -> bool:
    """Its writer died on this machine, or (any writer) it is older than PART_MAX_AGE."""
    found = _WRITER.search(part.name)
    if found and found.group(2) == _HOST_TAG and not pid_alive(int(found.group(1))):
        return True
    try:
        return now - part.lstat().st_mtime > PART_MAX_AGE
    except OSError:
        return False


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
    part = dest.with_name(f".{dest.name[:150]}.{_writer()}{secrets.token_hex(3)}{PART}")
    shutil.copy2(src, part)
    with part.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(part, dest)
    src.unlink()
