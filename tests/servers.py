"""Real servers for the tests of several machines: Debian's PostgreSQL 15 and redis-server, each
started in a temporary folder on a free loopback port and stopped afterwards."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Postgres:
    """A throwaway PostgreSQL cluster; `url(db)` addresses a database in it."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="docflow-pg-"))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data, self.port = self.dir / "data", free_port()
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U",
                                     "docflow", "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
        self.start()
        self.created = 0

    def start(self) -> None:
        """Start (or start again) the server and wait until it answers."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                                     "-l", str(self.dir / "log"), "-w", "start"]),
                       check=True, capture_output=True)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; connections in use break."""
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode,
                                     "-w", "stop"]), check=False, capture_output=True)

    def new_database(self) -> str:
        """A fresh empty database; its postgresql:// address."""
        self.created += 1
        name = f"t{self.created}"
        subprocess.run(_as_postgres([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p",
                                     str(self.port), "-U", "docflow", "-d", "postgres", "-qc",
                                     f"CREATE DATABASE {name}"]), check=True, capture_output=True)
        return self.url(name)

    def url(self, db: str) -> str:
        """The address of database `db`."""
        return f"postgresql://docflow@127.0.0.1:{self.port}/{db}"

    def close(self) -> None:
        """Stop and remove the cluster."""
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A throwaway redis-server whose data survives its own restart (append-only file)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="docflow-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        """The broker address."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.dir), "--appendonly", "yes", "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop the server (SIGTERM: it writes its data first)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None

    def close(self) -> None:
        """Stop and remove the server's folder."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
