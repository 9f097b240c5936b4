"""Who holds a lease or a claim: this machine, this process, this thread; and whether a process
of this machine still lives."""

from __future__ import annotations

import os
import socket
import threading

HOST = socket.gethostname()


def holder() -> str:
    """This thread of this process on this machine, as a lease holder."""
    return f"{HOST}:{os.getpid()}:{threading.get_ident()}"


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True
