"""Current records decoded once: a stored version never changes, so each is decoded from its
JSON the first time it is read and kept, by its submission row, while it stays current.

At 100,000 nominations decoding the current records took about a second, and a refresh read
them several times (the campaign checks, each draft, the reminders); one more file now decodes
only its own record.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable

from docflow.models import Record
from docflow.store.serial import loads

Head = tuple[int, int, str]  # submission id, file id, accepted_at: what makes a version unique
CHUNK = 500  # ids per SELECT … IN (…): well below SQLite's and PostgreSQL's limits


class DecodedRecords:
    """The decoded records of the current versions, per form kind; thread-safe. The records
    are shared between callers: treat them as read-only, as every caller does."""

    def __init__(self) -> None:
        self._kept: dict[str, dict[Head, Record]] = {}
        self._lock = threading.Lock()

    def records(self, kind: str, heads: list[Head],
                fetch: Callable[[list[int]], Iterable[tuple[int, str]]]) -> list[Record]:
        """The record of each head, in order; `fetch(ids)` yields (id, data) for those not kept.
        Only these heads are kept afterwards: a replaced version is let go."""
        with self._lock:
            kept = dict(self._kept.get(kind, {}))
        missing = [head for head in heads if head not in kept]
        by_id = {head[0]: head for head in missing}
        for start in range(0, len(missing), CHUNK):
            for row_id, data in fetch([head[0] for head in missing[start:start + CHUNK]]):
                kept[by_id[row_id]] = loads(data)
        fresh = {head: kept[head] for head in heads}
        with self._lock:
            self._kept[kind] = fresh
        return [fresh[head] for head in heads]
