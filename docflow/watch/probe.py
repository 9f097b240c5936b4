"""Choose, per watched folder, between filesystem events and polling.

Events from other machines never reach a network mount (cifs, nfs, fuse …), and some local
setups swallow them too (containers, VM shares); the filesystem type and a canary file written in
the folder decide. Only the canary touches the disk.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

# Filesystems whose changes by other clients raise no local event.
NETWORK = {"cifs", "smb3", "smbfs", "smb2", "nfs", "nfs4", "9p", "virtiofs", "vboxsf", "ceph",
           "glusterfs", "afs", "davfs", "ncpfs", "lustre", "gpfs", "beegfs", "fuse"}


@dataclass(frozen=True)
class Probe:
    """What was found about one watched folder and the mode chosen for it."""

    root: Path
    mode: str      # "native" or "polling"
    fstype: str    # "" when unknown (no /proc/mounts, e.g. on Windows)
    reason: str    # for the operator, in Vietnamese


def unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def fs_type(path: Path, mounts: str) -> str:
    """The filesystem type holding `path`, from the text of /proc/mounts; "" if unknown."""
    best, kind = -1, ""
    target = PurePosixPath(str(path))
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = PurePosixPath(unescape_mount(fields[1]))
        if (target == point or point in target.parents) and len(point.parts) > best:
            best, kind = len(point.parts), fields[2]
    return kind


def is_network(fstype: str, path: Path) -> bool:
    """True for a network or user-space filesystem, or a Windows UNC path (\\\\server\\share)."""
    if str(path).startswith(("\\\\", "//")):
        return True
    return fstype in NETWORK or fstype.split(".")[0] in NETWORK


def choose(setting: str, fstype: str, network: bool, canary: bool | None) -> tuple[str, str]:
    """The mode and the reason, from the config setting and what the probe found."""
    if setting in ("native", "polling"):
        return setting, f"đặt cố định trong cấu hình (mode = \"{setting}\")"
    if network:
        return "polling", f"ổ mạng ({fstype or 'đường dẫn UNC'}): sự kiện từ máy khác không về"
    if canary:
        return "native", f"hệ tệp {fstype or 'cục bộ'}: tệp thử báo sự kiện kịp thời"
    return "polling", f"hệ tệp {fstype or 'không rõ'}: tệp thử không báo sự kiện"


def read_mounts() -> str:
    """The text of /proc/mounts, or "" where there is none."""
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def canary(root: Path, wait_seconds: float,
           observer_factory: Callable[[], BaseObserver] = Observer) -> bool:
    """Write a hidden file in `root` and say whether a native event reported it in time."""
    name = f".docflow-canary-{secrets.token_hex(4)}"
    heard = threading.Event()

    class _Ear(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if os.fsdecode(event.src_path).endswith(name):
                heard.set()

    observer = observer_factory()
    try:
        observer.schedule(_Ear(), str(root), recursive=False)
        observer.start()
    except OSError:
        return False
    path = root / name
    try:
        path.write_bytes(b"docflow")
        return heard.wait(wait_seconds)
    except OSError:
        return False
    finally:
        try:
            path.unlink(missing_ok=True)  # docflow's own file, never a received one
        except OSError:
            pass
        observer.stop()
        observer.join()


def probe(root: Path, setting: str, wait_seconds: float, mounts: str | None = None,
          observer_factory: Callable[[], BaseObserver] = Observer) -> Probe:
    """Decide how to watch `root`; the canary runs only when it can change the answer."""
    kind = fs_type(root.resolve(), read_mounts() if mounts is None else mounts)
    network = is_network(kind, root)
    heard = None
    if setting == "auto" and not network:
        heard = canary(root, wait_seconds, observer_factory)
    mode, reason = choose(setting, kind, network, heard)
    return Probe(root, mode, kind, reason)


def watched_roots(inbox: Path) -> list[Path]:
    """The inbox, plus unit folders mounted or linked from elsewhere (each probed on its own)."""
    roots = [inbox]
    try:
        children = sorted(p for p in inbox.iterdir() if p.is_dir())
    except OSError:
        return roots
    return roots + [p for p in children if p.is_symlink() or os.path.ismount(p)]
