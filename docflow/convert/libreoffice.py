"""One kept-running LibreOffice and its UNO bridge process: start, convert one job, stop or kill.

The bridge (uno_bridge.py) runs under the system Python that has Debian's `python3-uno`, in a
process group of its own that also holds `soffice`, so killing the group ends all of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt
import json
import queue
import os
import select
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from docflow.convert.office_setup import lock_down, office_environment
from docflow.errors import ConversionError, OfficeCrashed, OfficeHung, describe_os

PACKAGES = "libreoffice-writer-nogui python3-uno fonts-liberation2"
_INSTALL = (f"Cài trên Debian/Ubuntu bằng `sudo apt-get install {PACKAGES}` (hoặc chạy "
            "`sudo sh tools/setup-system.sh`); trên Windows xem docs/deploy/windows-service.md; "
            "hoặc đặt `pdf = false` trong mục [output] của config.toml.")
BRIDGE = Path(__file__).with_name("uno_bridge.py")
_LOG_LIMIT = 1_000_000
_QUIT_SECONDS = 5.0
# Starting is slower than converting (a fresh profile, a busy machine): never less than this.
_START_SECONDS = 60.0


class LibreOfficeProcess:
    """One LibreOffice with its own profile folder; started on first use, one job at a time."""

    def __init__(self, folder: Path, soffice: str, python: str, timeout_seconds: float) -> None:
        self.folder = folder
        self.log = folder / "libreoffice.log"
        self.soffice = soffice
        self.python = python
        self.timeout_seconds = timeout_seconds
        self.jobs = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self.threaded_read = os.name != "posix"  # select() cannot wait on a pipe on Windows
        self._lines: queue.Queue[bytes | None] | None = None
        self._members: tuple[int | None, tuple[int, ...]] = (None, ())  # group → its pids

    @property
    def pgid(self) -> int | None:
        """The process group of the bridge and its LibreOffice, while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def _start_seconds(self) -> float:
        return max(self.timeout_seconds, _START_SECONDS)

    def convert(self, request: dict[str, str]) -> None:
        """Run one conversion; OfficeCrashed, OfficeHung, or ConversionError for the document."""
        if self._proc is None:
            self._start()
        reply = self._ask(request)
        if "error" in reply:
            full = _cannot_write(Path(request["pdf"]).parent)
            if full:  # LibreOffice says "write error" as it says "bad document": find out which
                raise ConversionError(
                    f"Không ghi được tệp PDF {Path(request['pdf']).name} vào {full}. Đây không "
                    "phải lỗi của văn bản: hãy khắc phục ổ đĩa rồi xử lý lại.")
            raise ConversionError(
                f"LibreOffice không chuyển được {Path(request['docx']).name} sang PDF: "
                f"{reply['error']}. Mở văn bản bằng LibreOffice hoặc Word để kiểm tra.")
        self.jobs += 1

    def memory_mb(self) -> float:
        """Resident memory of the bridge and its LibreOffice together (0 where /proc is absent)."""
        group = self.pgid
        if group is None:
            return 0.0
        # Asked after every conversion: the group's members are found once (a walk over every
        # process of the machine), then only their own statm is read, until one is gone.
        if self._members[0] != group:
            self._members = (group, _group_members(group))
        page, total = os.sysconf("SC_PAGE_SIZE"), 0
        for pid in self._members[1]:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            except (OSError, IndexError, ValueError):  # gone: look for the group again next time
                self._members = (None, ())
        return total / 2**20

    def stop(self) -> None:
        """Let LibreOffice close itself, then end whatever is left of its process group."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.write(b'{"quit": true}\n')
                proc.stdin.flush()
                proc.wait(_QUIT_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def kill(self) -> None:
        """End the bridge and LibreOffice at once (after a hang or a crash)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has gone
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # Windows has no process groups: end the bridge and its soffice tree
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                               capture_output=True, check=False)
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()

    def _start(self) -> None:
        # A profile left broken by a killed LibreOffice is thrown away and made anew once.
        for attempt in (1, 2):
            try:
                self._spawn()
                return
            except ConversionError as exc:
                self.kill()
                if attempt == 2:
                    raise ConversionError(
                        f"Không khởi động được LibreOffice ({exc}). Xem nhật ký {self.log}; thử "
                        f"chạy `soffice --headless --version`; kiểm tra đã cài các gói Debian "
                        f"{PACKAGES}.") from exc
                shutil.rmtree(self.folder / "profile", ignore_errors=True)

    def _spawn(self) -> None:
        if self.log.exists() and self.log.stat().st_size > _LOG_LIMIT:
            self.log.unlink()
        if not (self.folder / "profile" / "user").is_dir():  # a fresh profile: lock it down first
            lock_down(self.folder / "profile")
        with open(self.log, "ab") as log:
            log.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} start\n".encode())
            log.flush()
            self._proc = subprocess.Popen(
                [self.python, "-I", str(BRIDGE), "--soffice", self.soffice,
                 "--profile", str(self.folder / "profile"),
                 "--start-seconds", str(self._start_seconds)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True, env=office_environment())
        self._buffer = b""
        self.jobs = 0
        reply = self._read(time.monotonic() + self._start_seconds + _QUIT_SECONDS)
        if not reply.get("ready"):
            raise OfficeCrashed(str(reply.get("error", "cầu nối UNO trả lời lạ")))

    def _ask(self, request: dict[str, str]) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self._proc.stdin.flush()
        except OSError as exc:
            raise OfficeCrashed(f"cầu nối UNO đã dừng ({exc})") from exc
        reply = self._read(time.monotonic() + self.timeout_seconds)
        if "crash" in reply:
            raise OfficeCrashed(str(reply["crash"]))
        return reply

    def _read(self, deadline: float) -> dict[str, Any]:
        """The next JSON line from the bridge, waiting no later than `deadline`."""
        assert self._proc is not None and self._proc.stdout is not None
        if self.threaded_read:
            return self._read_threaded(deadline)
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OfficeHung("hết thời gian chờ LibreOffice trả lời")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    code = self._proc.poll()
                    raise OfficeCrashed(f"cầu nối UNO đã dừng (mã thoát {code})")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return json.loads(line)
        except ValueError as exc:
            raise OfficeCrashed(f"cầu nối UNO trả lời lạ: {line[:200]!r}") from exc


    def _read_threaded(self, deadline: float) -> dict[str, Any]:
        """`_read` for Windows: a thread per bridge process reads its lines into a queue."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        if self._lines is None or getattr(self._lines, "proc", None) is not proc:
            self._lines = queue.Queue()
            self._lines.proc = proc  # type: ignore[attr-defined]
            threading.Thread(target=_pump, args=(proc.stdout, self._lines), daemon=True).start()
        try:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise OfficeHung("hết thời gian chờ LibreOffice trả lời") from None
        if line is None:
            raise OfficeCrashed(f"cầu nối UNO đã dừng (mã thoát {proc.poll()})")
        try:
            return json.loads(line)
        except ValueError as exc:
            raise OfficeCrashed(f"cầu nối UNO trả lời lạ: {line[:200]!r}") from exc


def _pump(stream: Any, lines: queue.Queue) -> None:
    """Copy a pipe's lines into a queue; None marks its end."""
    try:
        for line in iter(stream.readline, b""):
            lines.put(line)
    except (OSError, ValueError):  # the pipe was closed by kill()
        pass
    lines.put(None)


def _cannot_write(folder: Path, probe_bytes: int = 1 << 20) -> str:
    """"folder: <cause>" when a 1 MiB file cannot be written there (disk full, read-only), or ""."""
    probe = folder / f".docflow-probe-{os.getpid()}"
    try:
        with probe.open("wb") as fh:
            fh.write(b"\0" * probe_bytes)
            fh.flush()
            os.fsync(fh.fileno())
        return ""
    except OSError as exc:
        return f"{folder}: {describe_os(exc)}"
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def require_programs(soffice: str, uno_python: str) -> str:
    """The full path of soffice, after checking that the UNO Python can import `uno`."""
    found = shutil.which(soffice)
    if found is None:
        raise ConversionError(f"Không tìm thấy LibreOffice (lệnh `{soffice}`) để xuất PDF. "
                              + _INSTALL)
    try:
        probe = subprocess.run([uno_python, "-I", "-c", "import uno"], capture_output=True,
                               timeout=30)
        ok = probe.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if not ok:
        raise ConversionError(f"Python {uno_python} không dùng được UNO để điều khiển LibreOffice "
                              "(thiếu gói python3-uno). " + _INSTALL)
    return found


def claim_folders(root: Path, count: int) -> list[TextIO]:
    """Open, locked lock files of `count` profile folders under root that no one else uses."""
    # Two LibreOffice processes on one profile corrupt it; a lock per folder keeps a second
    # `docflow` on the same state folder on folders of its own.
    locks: list[TextIO] = []
    index = 0
    while len(locks) < count:
        folder = root / f"office-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / "docflow.lock", "w")  # noqa: SIM115 - held open for the lock
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            locks.append(handle)
        except (BlockingIOError, PermissionError):  # msvcrt says PermissionError when held
            handle.close()
        index += 1
    return locks


def _group_members(group: int) -> tuple[int, ...]:
    """The ids of the processes in a process group (empty where /proc is absent)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == group:  # pgrp: 3rd field
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
    return tuple(found)
