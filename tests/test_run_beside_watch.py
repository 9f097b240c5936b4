"""`docflow run` and `docflow watch` on one workspace at the same time: the ledger's leases make
them share the work, so each file is answered exactly once and the drafts list each nominee once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from builders import assert_answered_once, assert_decision_lists_current_versions, nominations, workspace
from test_watch_live import FAST, finished, service, wait_for

from docflow.config import load
from docflow.pipeline import refresh_aggregates
from docflow.store import Ledger, open_ledger
from docflow.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("SNV", "STC", "SYT", "SGDDT")
FILES = 50


def test_run_and_watch_together_answer_each_of_50_files_exactly_once(tmp_path):
    config_path = workspace(tmp_path)
    config = load(config_path)
    config = replace(config, watch=replace(config.watch, **FAST))
    ws = Workspace.open(config, converter=None)
    files = nominations(tmp_path / "build", config, FILES)
    staging = tmp_path / "staging"
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    runs: list[subprocess.CompletedProcess] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run_twice() -> None:
        for _ in range(2):  # a second pass takes what the watcher had not yet claimed
            runs.append(subprocess.run(
                [sys.executable, "-m", "docflow", "--config", str(config_path), "run"],
                capture_output=True, text=True, env=env, timeout=300))

    with service(ws):
        for name in files:  # every file appears whole, all at once
            (ws.inbox / name).parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / name, ws.inbox / name)
        runner = threading.Thread(target=run_twice)
        runner.start()
        runner.join(300)
        assert not runner.is_alive(), "docflow run did not finish"
        wait_for(lambda: finished(ws, FILES), 120, "50 files were not all processed")
        wait_for(lambda: not ws.ledger.stale(), 60, "the drafts were not remade")
        time.sleep(1.0)  # room for a second take to show up
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Traceback" not in run.stderr, run.stderr
    refresh_aggregates(ws)

    assert_answered_once(ws, files)  # every original archived, none lost

    decision = assert_decision_lists_current_versions(ws, FILES, UNITS)
    for unit in UNITS:
        assert decision.count(f"Phòng Tổng hợp {unit}") == 1
    ws.close()


def test_a_lease_is_held_by_one_thread_at_a_time_and_freed_when_its_holder_dies(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    assert ledger.try_lease("campaign", ttl=60)
    taken = []
    other = threading.Thread(target=lambda: taken.append(ledger.try_lease("campaign", ttl=60)))
    other.start()
    other.join()
    assert taken == [False]                      # another thread waits its turn
    ledger.release("campaign")
    other = threading.Thread(target=lambda: taken.append(ledger.try_lease("campaign", ttl=60)))
    other.start()
    other.join()
    assert taken == [False, True]
    ledger.close()

    code = ("import sys, os, signal; sys.path.insert(0, sys.argv[1]);"
            "from docflow.store import Ledger;"
            "from pathlib import Path;"
            "l = Ledger(Path(sys.argv[2]));"
            "assert l.try_lease('unit:SNV', ttl=3600);"
            "print('held', flush=True); os.kill(os.getpid(), signal.SIGKILL)")
    child = subprocess.run([sys.executable, "-c", code, str(ROOT),
                            str(tmp_path / "ledger.sqlite3")], capture_output=True, text=True)
    assert child.stdout.strip() == "held" and child.returncode == -9
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    assert "unit:SNV" in ledger.leases()          # still written down, with an hour to run ...
    assert ledger.try_lease("unit:SNV", ttl=60)   # ... but its holder is gone: taken at once
    ledger.close()


def test_the_watcher_needs_only_the_config_the_ledger_and_a_clock(tmp_path):
    config = load(workspace(tmp_path))
    ledger = open_ledger(config)
    from docflow.watch import Watcher

    watcher = Watcher(config, ledger)
    assert not hasattr(watcher, "ws")
    ledger.close()
