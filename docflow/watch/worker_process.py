"""Inside a worker process: open a workspace of its own, then run one job at a time.

Started by workers.Pool; it shares nothing with the service but what the pipe carries, and the
service alone decides when it stops.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from dataclasses import replace
from multiprocessing.connection import Connection

from docflow.convert import RemoteConverter
from docflow.jobs import Setup, refresh
from docflow.workspace import Workspace

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def serve(conn: Connection, setup: Setup) -> None:
    """The worker process: open a workspace, then process jobs until told to stop."""
    # Ctrl+C and the service manager signal the whole process group; the parent decides when a
    # worker stops, so a file is never cut in half by a signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent = _die_with_parent()
    config = setup.config
    if config.output.pdf and setup.office is not None:  # the service's LibreOffice, shared
        ws = Workspace.open(config, setup.clock, converter=RemoteConverter(setup.office))
    else:
        if config.output.pdf:  # one document at a time: one LibreOffice of its own is enough
            config = replace(config, output=replace(config.output, instances=1))
        ws = Workspace.open(config, setup.clock)
    try:
        conn.send(("ready",))
        while True:
            try:
                while not conn.poll(1.0):  # where no death signal exists: look for the parent
                    if os.getppid() != parent:
                        return
                job = conn.recv()
            except (EOFError, OSError):
                return  # the service is gone
            if job is None:
                return
            try:
                if job.kind == "refresh":
                    conn.send(("refreshed", tuple(refresh(ws)), ""))
                    continue
                outcome = setup.handler(job, ws, lambda work, unit: conn.send(
                    ("claimed", str(work), unit)))
                conn.send(("gone", None, "") if outcome is None else ("done", outcome, ""))
            except (BrokenPipeError, ConnectionError, EOFError):
                return  # the service died mid-file: the file stays claimed for its next start
            except Exception as exc:  # reported to the service, which logs it and goes on
                try:
                    conn.send(("error", None, f"{type(exc).__name__}: {exc}"))
                except OSError:
                    return
    finally:
        ws.close()  # stops this worker's LibreOffice and frees its profile


def _die_with_parent() -> int:
    """Ask Linux to signal this worker when the service dies, even by kill -9; returns the
    service's pid, which the task loop also watches (other systems, and the start-up race)."""
    parent = multiprocessing.parent_process()
    pid = parent.pid if parent is not None and parent.pid else os.getppid()
    signal.signal(signal.SIGUSR1, _parent_gone)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGUSR1))
        except (OSError, AttributeError):
            pass  # the task loop's check still ends the worker within a second
    if os.getppid() != pid:
        raise SystemExit(0)  # the service died before the signal was asked for
    return pid


def _parent_gone(*_: object) -> None:
    # SystemExit unwinds through the file in progress (left claimed, resumed at the next
    # start) and serve's finally, which stops LibreOffice.
    raise SystemExit(0)

