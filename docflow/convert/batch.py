"""Conversions of one delivery on every LibreOffice of the converter at once, each package once.

A province-wide making converts many packages: the decision's front and annex parts, the blank
pages for its numbers and footers, then the Tờ trình's (which shares the decision's parts), then
the small letters. Converted document after document, LibreOffice waited while docflow rendered
and joined, and one LibreOffice sat idle whenever a document had fewer jobs left than there are
processes. Here every document's conversions are asked for as soon as it is rendered, and worker
threads (one per LibreOffice) take them in order of need:

- a package already converted comes from the cache folder, one asked for twice (the Tờ trình's
  parts are the decision's) is converted once;
- the longest jobs go first and the short ones fill the gaps at the end: every document's annex
  parts, then the fronts and the blank pages with the footers, so that no LibreOffice is left
  with a long part to convert while the other has nothing;
- the page numbers go before everything else: a join waits on them alone.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import queue
import re
import shutil
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Callable

from docflow.convert.pool import Converter
from docflow.convert.slim import slim
from docflow.convert.split import package_bytes

_UNUSED = re.compile(r"word/header\d*\.xml")
URGENT, NORMAL, SHORT = 0, 1, 2  # a join waits on it alone; an annex part; a page or two


class Conversions:
    """A queue of conversions served by one thread per LibreOffice; close() when done."""

    def __init__(self, converter: Converter, cache: Path, scratch: Path | None = None) -> None:
        self.converter = converter
        self.cache = cache
        self._whole_scratch = scratch  # where documents converted whole are written
        self._scratch: Path | None = None  # made on the first part to convert
        self._jobs: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._asked: dict[str, Future] = {}
        self._lock = threading.Lock()
        count = max(1, int(getattr(converter, "instances", 1)))
        self._threads = [threading.Thread(target=self._work, name=f"docflow-pdf-{i}", daemon=True)
                         for i in range(count)]
        for thread in self._threads:
            thread.start()

    def pdf(self, package: dict[str, bytes], name: str, priority: int = NORMAL) -> Future:
        """The package's PDF (bytes): from the cache folder, from the same package asked for
        already, or converted on the next free LibreOffice (without the styles it never uses,
        slim.py)."""
        package = slim(package)
        digest = _digest(package)
        with self._lock:
            asked = self._asked.get(digest)
            if asked is not None:
                return asked
            future: Future = Future()
            self._asked[digest] = future
        path = self.cache / f"{digest}.pdf"
        try:
            data = path.read_bytes()
            os.utime(path)  # used now: pruned last
        except OSError:  # not made yet, or pruned meanwhile by another process
            self._put(priority, future, lambda: self._convert(package, name, path))
        else:
            future.set_result(data)
        return future

    def whole(self, docx: bytes, name: str, title: str, author: str) -> Future:
        """The PDF of a document converted whole, with its title and author (not cached: its
        Mã dự thảo is new at every making)."""
        future: Future = Future()
        self._put(NORMAL, future, lambda: self._whole(docx, name, title, author))
        return future

    def close(self) -> None:
        """Drop the jobs not started, wait for those running, remove the scratch folder."""
        while True:
            try:
                _, _, future, _ = self._jobs.get_nowait()
            except queue.Empty:
                break
            if future is not None:
                future.cancel()
        for _ in self._threads:
            self._jobs.put((URGENT - 1, next(self._order), None, None))
        for thread in self._threads:
            thread.join()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> Conversions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _put(self, priority: int, future: Future, job: Callable[[], bytes]) -> None:
        self._jobs.put((priority, next(self._order), future, job))

    def _work(self) -> None:
        while True:
            _, _, future, job = self._jobs.get()
            if future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
                future.set_exception(exc)

    def _convert(self, package: dict[str, bytes], name: str, path: Path) -> bytes:
        with self._lock:
            if self._scratch is None:
                self.cache.mkdir(parents=True, exist_ok=True)
                self._scratch = Path(tempfile.mkdtemp(prefix="parts-", dir=self.cache))
        source = self._scratch / f"{path.stem[:8]}-{Path(name).stem}.docx"
        source.write_bytes(package_bytes(package))
        made = source.with_suffix(".pdf")
        self.converter.to_pdf(source, made)
        data = made.read_bytes()
        os.replace(made, path)  # whole or not at all: the cache never holds half a PDF
        source.unlink(missing_ok=True)
        return data

    def _whole(self, docx: bytes, name: str, title: str, author: str) -> bytes:
        where = self._whole_scratch or self.cache
        where.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="pdf-", dir=where))
        source = folder / Path(name).with_suffix(".docx").name
        try:
            source.write_bytes(docx)
            self.converter.to_pdf(source, source.with_suffix(".pdf"), title=title, author=author)
            return source.with_suffix(".pdf").read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _digest(package: dict[str, bytes]) -> str:
    """The sha256 of every part of the package but its properties and the headers it does not
    show: a change of the rows, the template or the styles makes a new one."""
    h = hashlib.sha256()
    shown = b"<w:headerReference" in package["word/document.xml"][-3000:]  # the last sectPr
    for key in sorted(package):
        if key.startswith("docProps/") or (not shown and _UNUSED.fullmatch(key)):
            continue
        h.update(key.encode("utf-8") + b"\0" + hashlib.sha256(package[key]).digest())
    return h.hexdigest()
