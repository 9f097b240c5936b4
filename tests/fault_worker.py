"""A helper process for the crash tests: imports docflow once, then runs each job in a fresh child.

The test starts this script once and writes one JSON job per line on its stdin:

    {"config": "/tmp/…/config.toml",      the workspace to process
     "crash": "after-store" | null,        die with SIGKILL at that point (see CRASH_POINTS)
     "argv": ["--config", …, "run"] | null, run `docflow` (cli.main) instead of process_all
     "sqlite_timeout": 0.5 | null,         shorten the ledger's busy timeout (default 30 s)
     "log": "/tmp/…/child.log"}            the child's stdout and stderr

For each job the worker forks a child and answers with two lines: `{"pid": …}` at once, then
`{"pid": …, "signal": n | null, "code": n | null}` when the child has ended — by itself, by the
crash point, or because the test sent it SIGKILL. Importing docflow takes about a second; forking
a child that already has it takes milliseconds, so thirty kill trials cost what the work costs.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docflow.cli  # noqa: E402
import docflow.store.fsops  # noqa: E402
import docflow.store.ledger  # noqa: E402
import docflow.pipeline  # noqa: E402
from docflow.config import load  # noqa: E402
from docflow.workspace import Workspace  # noqa: E402


def die() -> None:
    """What a power cut or the OOM killer does: no cleanup, no finally blocks."""
    os.kill(os.getpid(), signal.SIGKILL)


def replace_everywhere(original: Any, replacement: Any) -> None:
    """Swap a function in every docflow module that imported it by name."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("docflow"):
            for name, value in list(vars(module).items()):
                if value is original:
                    setattr(module, name, replacement)


def after(original: Callable, calls: int = 1) -> Callable:
    """`original`, except that its `calls`-th call returns and then the process dies."""
    count = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        count[0] += 1
        if count[0] >= calls:
            die()
        return result
    return wrapper


def before(original: Callable, calls: int = 1) -> Callable:
    """`original`, except that the process dies at its `calls`-th call, before it runs."""
    count = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        if count[0] >= calls:
            die()
        return original(*args, **kwargs)
    return wrapper


def _patch_method(cls: type, name: str, make: Callable[[Callable], Callable]) -> None:
    setattr(cls, name, make(getattr(cls, name)))


def _patch_function(module: Any, name: str, make: Callable[[Callable], Callable]) -> None:
    original = getattr(module, name)
    replace_everywhere(original, make(original))


# Each arrow of the flow in DESIGN.md where a process can die.
CRASH_POINTS: dict[str, Callable[[], None]] = {
    # the file has been renamed into state/work/ but the ledger has not heard of it
    "after-claim": lambda: _patch_function(docflow.store.fsops, "claim", after),
    # the ledger row says "processing"; nothing rendered yet
    "after-begin": lambda: _patch_method(docflow.store.ledger.Ledger, "begin_file", after),
    # a document's bytes are written and fsynced under its temporary name, not yet renamed
    "mid-deliver": lambda: setattr(os, "fsync", after(os.fsync)),
    # the first document of a file is published (renamed into place), the others are not
    "between-deliveries": lambda: setattr(os, "replace", before(os.replace, calls=2)),
    # the ledger says accepted/rejected; the original is still in state/work/
    "after-finish": lambda: _patch_method(docflow.store.ledger.Ledger, "finish", after),
    # the original is in state/archive/ or state/rejected/; the ledger does not know where yet
    "after-store": lambda: _patch_function(docflow.store.fsops, "store", after),
}


def short_sqlite_timeout(seconds: float) -> None:
    """Make the ledger give up on a lock after `seconds` instead of 30 s."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs["timeout"] = seconds
        return real(*args, **kwargs)
    sqlite3.connect = connect  # type: ignore[assignment]


def process_everything(config_path: str) -> int:
    """What `docflow run` does, without PDF conversion (the crash tests are about files)."""
    config = load(config_path)
    try:
        ws = Workspace.open(config, converter=None)
    except TypeError:  # a Workspace without a converter parameter
        ws = Workspace.open(config)
    try:
        docflow.pipeline.process_all(ws)
    finally:
        ws.close()
    return 0


def child(job: dict[str, Any]) -> int:
    log = os.open(job.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8")
    sys.stderr = os.fdopen(2, "w", buffering=1, encoding="utf-8")
    if job.get("sqlite_timeout"):
        short_sqlite_timeout(float(job["sqlite_timeout"]))
    if job.get("crash"):
        CRASH_POINTS[job["crash"]]()
    if job.get("argv"):
        return int(docflow.cli.main(job["argv"]))
    return process_everything(job["config"])


def serve() -> None:
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = child(job)
            except BaseException:  # noqa: BLE001 — the child reports everything and exits
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        ended = {"pid": pid, "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                 "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}
        print(json.dumps(ended), flush=True)


if __name__ == "__main__":
    serve()
