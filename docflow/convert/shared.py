"""The LibreOffice processes of one machine shared by its worker processes.

`docflow watch` runs its files in worker processes. Each used to start a LibreOffice of its own
and leave it idle while it read, checked and rendered the next file, so two workers kept two
LibreOffice processes busy about two thirds of the time, and a refresh converting the parts of
a long list had only its own. Here the service keeps the pool (pool.LibreOfficeConverter) and
each worker reaches it through a local, authenticated connection: every conversion of every
worker goes to the next free LibreOffice, a third worker keeps both busy while the others
read their files, and a refresh's parts are converted on all of them at once.

Only paths and names cross the connection (the files are on this machine); a conversion that
fails comes back as the ConversionError it raised.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from docflow.convert.pool import Converter
from docflow.errors import ConversionError, DocflowError

_METHODS = ("to_pdf", "convert_to")


@dataclass(frozen=True)
class Ticket:
    """What a worker needs to reach the shared converter: picklable, secret."""

    address: Any
    authkey: bytes
    instances: int


class SharedConverter:
    """Serves a converter to the worker processes of this machine, one thread per worker."""

    def __init__(self, converter: Converter) -> None:
        self.converter = converter
        key = os.urandom(32)
        # the platform's local kind of connection: a Unix socket, a named pipe on Windows
        self._listener = Listener(authkey=key)
        self.ticket = Ticket(self._listener.address, key, getattr(converter, "instances", 1))
        self._closed = False
        threading.Thread(target=self._accept, name="docflow-office", daemon=True).start()

    def close(self) -> None:
        """Take no more calls, then stop LibreOffice once the conversions in progress end."""
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass
        self.converter.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except Exception:  # noqa: BLE001 - closed, or a caller without the key: go on
                time.sleep(0.05)
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        with conn:
            while True:
                try:
                    method, args, kwargs = conn.recv()
                except (EOFError, OSError, ValueError):
                    return  # the worker ended (or was killed past its time limit)
                try:
                    if method not in _METHODS:
                        raise ConversionError(f"Yêu cầu chuyển đổi không hợp lệ: {method}.")
                    getattr(self.converter, method)(*args, **kwargs)
                    reply: tuple[str, Any] = ("ok", None)
                except (DocflowError, OSError) as exc:  # sent as a ConversionError: picklable
                    reply = ("error", ConversionError(str(exc)))
                try:
                    conn.send(reply)
                except OSError:
                    return


class RemoteConverter:
    """A worker's side of the shared converter: the Converter protocol over the connection,
    one connection per thread (a long list's parts are asked for from several at once)."""

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.instances = ticket.instances
        self._local = threading.local()
        self._open: list[Connection] = []
        self._lock = threading.Lock()

    def to_pdf(self, docx: Path, pdf: Path, *, title: str = "", author: str = "") -> None:
        """Convert on the next free LibreOffice of this machine."""
        self._call("to_pdf", (docx, pdf), {"title": title, "author": author})

    def convert_to(self, src: Path, dest: Path, target: str) -> None:
        """Save an old-format upload as `target` on the shared LibreOffice."""
        self._call("convert_to", (src, dest, target), {})

    def close(self) -> None:
        """Close this worker's connections (the LibreOffice processes are the service's)."""
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()

    def _call(self, method: str, args: tuple, kwargs: dict) -> None:
        conn = getattr(self._local, "conn", None)
        try:
            if conn is None:
                conn = Client(self.ticket.address, authkey=self.ticket.authkey)
                self._local.conn = conn
                with self._lock:
                    self._open.append(conn)
            conn.send((method, args, kwargs))
            kind, value = conn.recv()
        except (EOFError, OSError) as exc:
            self._local.conn = None
            raise ConversionError(
                f"Không liên lạc được với LibreOffice của dịch vụ docflow watch ({exc}); tệp sẽ "
                "được xử lý lại. Nếu lỗi lặp lại, hãy khởi động lại docflow.") from exc
        if kind == "error":
            raise value
