"""Workers orphaned by kill -9 of the service die with it: no BrokenPipe tracebacks, and their
LibreOffice (and its profile) is released (issue 18, item 15). Real processes, real signals."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from builders import dn_info, dn_workbook, person, workspace


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line mentions `text` (a workspace's own path)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(proc.name))
    return found


def children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"{message} within {timeout} s")


def test_kill_9_of_the_service_ends_its_workers_and_their_libreoffice(tmp_path):
    config = workspace(tmp_path, pdf=True)
    text = config.read_text("utf-8").replace("workers = 3 ", "workers = 1 ")
    config.write_text(text.replace("instances = 2 ", "instances = 1 "), "utf-8")
    log = (tmp_path / "watch.log").open("wb")
    service = subprocess.Popen([sys.executable, "-m", "docflow", "--config", str(config),
                                "watch"], stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
                               start_new_session=True)
    try:
        dn_workbook(tmp_path / "inbox" / "SNV" / "a.xlsx", dn_info("SNV"), [person("An")])
        wait_for(lambda: list((tmp_path / "outbox" / "SNV").glob("*Phieu-tiep-nhan-a.pdf")), 120,
                 "the first file was not answered with a PDF")
        workers = children(service.pid)
        office = processes_mentioning(str(tmp_path / "state" / "libreoffice"))
        assert workers and office, "a worker and its LibreOffice run"
        # a long list: the worker is mid-file when the service is killed
        dn_workbook(tmp_path / "inbox" / "SYT" / "dai.xlsx", dn_info("SYT"),
                    [person(f"Người Số {n}", birth_date=dt.date(1970 + n % 30, 1 + n % 12, 1))
                     for n in range(3000)])
        wait_for(lambda: list((tmp_path / "state" / "work").glob("SYT/*/dai.xlsx")), 60,
                 "the long list was not claimed")
        os.kill(service.pid, signal.SIGKILL)
        service.wait(10)
        wait_for(lambda: not [p for p in workers if alive(p)], 60,
                 "the orphaned worker did not exit")
        wait_for(lambda: not processes_mentioning(str(tmp_path / "state" / "libreoffice")), 60,
                 "LibreOffice of the killed service still runs")
        # it stopped with its parent rather than finishing the file for nobody: the file waits,
        # claimed, for the next start
        assert list((tmp_path / "state" / "work").glob("SYT/*/dai.xlsx"))
        # no answer to the file (reminders of the sample's past deadlines may be there)
        assert not [p for p in (tmp_path / "outbox" / "SYT").glob("*")
                    if not p.name.startswith("Don-doc-")]
    finally:
        if service.poll() is None:
            service.kill()
        for pid in processes_mentioning(str(tmp_path)):
            os.kill(pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "watch.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in output and "BrokenPipe" not in output, output
