"""Records and answers as JSON in the ledger, keeping dates, decimals, bytes and paths."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from docflow.models import Record


def to_json(value: Any) -> str:
    """JSON that keeps dates, decimals and paths (read back by `from_json`)."""
    return json.dumps(value, default=_encode, ensure_ascii=False)


def from_json(text: str) -> Any:
    """The inverse of to_json."""
    return json.loads(text, object_hook=_decode)


def dumps(record: Record) -> str:
    """A record as JSON that keeps dates and decimals."""
    return to_json({"kind": record.kind, "unit": record.unit, "period": record.period,
                    "fields": record.fields, "tables": record.tables})


def loads(text: str) -> Record:
    """The inverse of dumps."""
    data = from_json(text)
    return Record(data["kind"], data["unit"], data["period"], data["fields"], data["tables"])


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Path):
        return {"$path": str(value)}
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in the ledger")


def _decode(obj: dict) -> Any:
    if obj.keys() == {"$date"}:
        return dt.date.fromisoformat(obj["$date"])
    if obj.keys() == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if obj.keys() == {"$datetime"}:
        return dt.datetime.fromisoformat(obj["$datetime"])
    if obj.keys() == {"$bytes"}:
        return base64.b64decode(obj["$bytes"])
    if obj.keys() == {"$path"}:
        return Path(obj["$path"])
    return obj

