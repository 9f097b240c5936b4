"""Inside a worker process: open a workspace of its own, then run one job at a time.

Started by workers.Pool; it shares nothing with the service but what the pipe carries, and the
service alone decides when it stops.
"""

from __future__ import annotations

import signal
from dataclasses import replace
from multiprocessing.connection import Connection

from docflow.jobs import Setup, refresh
from docflow.workspace import Workspace


def serve(conn: Connection, setup: Setup) -> None:
    """The worker process: open a workspace, then process jobs until told to stop."""
    # Ctrl+C and the service manager signal the whole process group; the parent decides when a
    # worker stops, so a file is never cut in half by a signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    config = setup.config
    if config.output.pdf:  # a worker converts one document at a time: one LibreOffice is enough
        config = replace(config, output=replace(config.output, instances=1))
    ws = Workspace.open(config, setup.clock)
    try:
        conn.send(("ready",))
        while True:
            try:
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
            except Exception as exc:  # reported to the service, which logs it and goes on
                conn.send(("error", None, f"{type(exc).__name__}: {exc}"))
    finally:
        ws.close()
