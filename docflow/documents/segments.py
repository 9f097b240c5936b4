"""Incremental rendering of a template's big lists: each table of a list rendered once per content.

The annex of a province-wide decision is a loop over tables (`{% for t in individual_tables %}`),
one table per unit or per 100 rows of a unit. When a campaign grows, one more accepted file
changes one or two of these tables; re-rendering every row made the cost of a refresh grow with
the campaign. A loop whose body holds a Word table and reads nothing but its loop variable is
cut out of the compiled template: the rest of the document renders as before with a marker in
its place, and each item's XML comes from a cache keyed by the sha256 of the template and the
item itself, so an unchanged table is reused byte for byte and the document is the same as a
whole render. A body that reads anything else (another variable, `loop`) stays in the template.
The cache keeps each item's XML deflated as it goes into the .docx (documents/deflated.py: the
annex XML shrinks about tenfold), so the tables of 100,000 nominations in both the decision and
its Tờ trình fit in its bound, and the document's zip entry is written from these pieces. An
item made as a `Keyed` dict carries its content's digest, made once: the cache does not hash
every row of an unchanged list again.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

import jinja2
from jinja2 import meta

from docflow.documents.deflated import Piece, deflate, laid_after

_TAG = re.compile(r"\{%-?\s*(for|endfor)\b(.*?)-?%\}", re.S)
_HEAD = re.compile(r"\s*(\w+)\s+in\s+(\w+)\s*")
CACHE_BYTES = 64_000_000  # deflated, with 4 kB tails: about 1,000,000 rows; least recently used goes first


@dataclass(frozen=True)
class Segment:
    """One loop cut out of a template: its variable, the list it walks, its compiled body."""

    index: int
    var: str
    source: str
    body: jinja2.Template


@dataclass
class SegmentStats:
    """What the last render of a template did with its segments: items made and reused."""

    made: int = 0
    reused: int = 0


def split(xml: str, env: jinja2.Environment, token: str) -> tuple[str, tuple[Segment, ...]]:
    """The template source with each cacheable table loop replaced by a marker, and the loops."""
    segments: list[Segment] = []
    out, pos, depth, opened = [], 0, 0, None
    for tag in _TAG.finditer(xml):
        if tag.group(1) == "for":
            if depth == 0:
                opened = tag
            depth += 1
            continue
        depth -= 1
        if depth != 0 or opened is None:
            continue
        head, body = _HEAD.fullmatch(opened.group(2)), xml[opened.end():tag.start()]
        segment = _segment(len(segments), head, body, env) if head else None
        if segment is not None:
            out += [xml[pos:opened.start()], marker(token, segment.index)]
            pos = tag.end()
            segments.append(segment)
        opened = None
    out.append(xml[pos:])
    return "".join(out), tuple(segments)


def _segment(index: int, head: re.Match, body: str, env: jinja2.Environment) -> Segment | None:
    """A loop worth caching: it makes a Word table and reads only its own variable."""
    if "<w:tbl" not in body or "<w:sectPr" in body:  # the Mã dự thảo goes into the frame's sections
        return None
    var, source = head.group(1), head.group(2)
    try:
        free = meta.find_undeclared_variables(env.parse(body))
        compiled = env.from_string(body)
    except jinja2.TemplateError:  # e.g. a for … else: leave the loop to the whole template
        return None
    return Segment(index, var, source, compiled) if free <= {var} else None


def marker(token: str, index: int) -> str:
    """The text standing where a segment goes: unguessable, so no sender's value can hold it."""
    return f"{token}{index}{token}"


def new_token() -> str:
    """A marker delimiter of this process."""
    return f"\ue000{uuid.uuid4().hex}\ue000"


class Keyed(dict):
    """A dict its maker never changes once made, which keeps the digest of its content (of its
    repr, as the cache would hash it) after the first time it is asked for."""

    _digest: bytes | None = None

    @property
    def digest(self) -> bytes:
        """sha256 of the dict's repr, computed once."""
        if self._digest is None:
            self._digest = hashlib.sha256(repr(self).encode("utf-8", "surrogatepass")).digest()
        return self._digest


def _key(digest: str, segment: Segment, item: Any) -> bytes:
    if isinstance(item, Keyed):  # its key in each template's loop, made once
        keys = item.__dict__.setdefault("_keys", {})
        key = keys.get((digest, segment.index))
        if key is None:
            key = keys[(digest, segment.index)] = hashlib.sha256(
                f"{digest}\0{segment.index}\0#".encode("ascii") + item.digest).digest()
        return key
    # repr, not JSON: twice as fast on 100,000 rows, and as exact for the str, list and dict an
    # item is made of (a dict in another key order only misses the cache)
    return hashlib.sha256(f"{digest}\0{segment.index}\0{item!r}".encode("utf-8",
                          "surrogatepass")).digest()


class SegmentCache:
    """Rendered XML of segment items by content hash, deflated, bounded in bytes; thread-safe."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._items: OrderedDict[bytes, Piece] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def fill(self, digest: str, segment: Segment, items: Any, finish: Callable[[str], str],
             stats: SegmentStats, after: bytes = b"") -> tuple[list[Piece], bytes]:
        """The XML of every item of one list, deflated, laid after a text ending `after`; made
        only for items not seen before (deflated again where an item follows another text
        than when it was kept). Also the last bytes of the list's text."""
        pieces = []
        for item in items:
            key = _key(digest, segment, item)
            with self._lock:
                piece = self._items.get(key)
                if piece is not None:
                    self._items.move_to_end(key)
            if piece is None:
                piece = deflate(finish(segment.body.render({segment.var: item})).encode("utf-8"),
                                after)
                self._keep(key, piece)
                stats.made += 1
            else:
                stats.reused += 1
                if piece.after != after:
                    piece = laid_after(piece, after)
                    self._keep(key, piece)
            pieces.append(piece)
            after = piece.tail
        return pieces, after

    @property
    def size(self) -> int:
        """Bytes the kept items take (deflated XML and the tails, without the keys)."""
        return self._size

    def _keep(self, key: bytes, piece: Piece) -> None:
        with self._lock:
            old = self._items.get(key)
            if old is not None:
                self._size -= _cost(old)
            self._items[key] = piece
            self._size += _cost(piece)
            while self._size > self.limit and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._size -= _cost(old)


def _cost(piece: Piece) -> int:
    """Bytes a kept piece holds: its stream and its tail (its `after` is the tail of another)."""
    return len(piece.stream) + len(piece.tail)
