"""A campaign on several machines for the tests: config.toml with [engine] and [ledger] pointing
at the test's own Redis and PostgreSQL, and `docflow worker` processes started and stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from builders import workspace

ROOT = Path(__file__).resolve().parent.parent
FAST_WATCH = {"stability_seconds": "0.5", "poll_seconds": "0.2", "probe_seconds": "1.0",
              "file_timeout_seconds": "60.0"}


def celery_config(tmp_path: Path, broker: str, ledger_url: str, pdf: bool = False) -> Path:
    """The shipped config with quick watch timings, the Celery engine and a PostgreSQL ledger."""
    path = workspace(tmp_path, pdf=pdf)
    text = path.read_text("utf-8")
    for key, value in FAST_WATCH.items():
        text = re.sub(rf"(?m)^{key} = \S+", f"{key} = {value}", text)
    text += (f'\n[engine]\nkind = "celery"\nbroker = "{broker}"\n'
             f'\n[ledger]\nurl = "{ledger_url}"\n')
    path.write_text(text, "utf-8")
    return path


class Workers:
    """`docflow worker` processes, each with one worker process of its own (prefork child)."""

    def __init__(self, config: Path, count: int, logs: Path) -> None:
        self.config, self.logs = config, logs
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.processes = [subprocess.Popen(
            [sys.executable, "-m", "docflow", "--config", str(config), "worker"],
            stdout=open(logs / f"worker-{i}.log", "wb"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True) for i in range(count)]

    def children(self) -> set[int]:
        """The pids of the processes that run the jobs (the workers' prefork children)."""
        kids = set()
        for proc in self.processes:
            try:
                with open(f"/proc/{proc.pid}/task/{proc.pid}/children", encoding="ascii") as f:
                    kids.update(int(p) for p in f.read().split())
            except OSError:
                pass
        return kids

    def programs(self, index: int) -> list[str]:
        """The program names in worker `index`'s process tree (its children, their LibreOffice)."""
        kids: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_bytes() if entry.name.isdigit() else b""
            except OSError:
                continue
            if stat:
                ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
                kids.setdefault(ppid, []).append(int(entry.name))
        names, todo = [], [self.processes[index].pid]
        while todo:
            pid = todo.pop()
            todo.extend(kids.get(pid, []))
            try:
                names.append(Path(f"/proc/{pid}/comm").read_text("utf-8").strip())
            except OSError:
                pass
        return names

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until every worker says it is ready to take jobs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = [(self.logs / f"worker-{i}.log").read_text("utf-8", "replace")
                     for i in range(len(self.processes))]
            if all(" ready." in t for t in texts):
                return
            dead = [p for p in self.processes if p.poll() is not None]
            assert not dead, "\n".join(texts)
            time.sleep(0.1)
        raise AssertionError("the workers did not start")

    def stop(self) -> None:
        """SIGTERM (running files finish), then SIGKILL what is left, whole process groups."""
        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def log_text(self) -> str:
        """Everything the workers wrote."""
        return "\n".join((self.logs / f"worker-{i}.log").read_text("utf-8", "replace")
                         for i in range(len(self.processes)))


@contextmanager
def workers(config: Path, count: int, logs: Path):
    """`count` workers, ready, stopped when the block ends."""
    running = Workers(config, count, logs)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()
