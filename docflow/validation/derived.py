"""Values derived from a stored record, kept while the record lives.

The ledger hands out the same decoded record for a version until it is replaced
(store/decoded.py), so a refresh and the campaign checks derive values (the nominations, the
people's keys) only from a new version, not from every unit's record again.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, TypeVar

from docflow.models import Record

T = TypeVar("T")
_KEPT: dict[tuple[int, str], tuple[weakref.ref, Any, Any]] = {}
_LOCK = threading.Lock()


def derived(record: Record, what: str, basis: Any, make: Callable[[], T]) -> T:
    """`make()` for this record, kept until the record is let go; made again when `basis` (the
    config it depends on, or None) is another object. The value is shared: never change it."""
    slot = (id(record), what)
    got = _KEPT.get(slot)
    if got is not None and got[0]() is record and got[1] is basis:
        return got[2]
    value = make()
    ref = weakref.ref(record, lambda _, slot=slot: _forget(slot))
    with _LOCK:
        _KEPT[slot] = (ref, basis, value)
    return value


def _forget(slot: tuple[int, str]) -> None:
    with _LOCK:
        got = _KEPT.get(slot)
        if got is not None and got[0]() is None:
            del _KEPT[slot]
