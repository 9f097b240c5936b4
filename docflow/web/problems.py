"""The administrator's open problems: the reports in outbox/_quan-tri/ that are not yet fixed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docflow.store import Ledger
from docflow.text import slug

ADMIN = "_quan-tri"
MAX_CHARS = 4000  # a report is a short text; a huge one is shown cut, never streamed whole


@dataclass(frozen=True)
class Open:
    """One report still waiting for the administrator, with its text."""

    name: str
    written: dt.datetime
    text: str


def open_problems(outbox: Path, ledger: Ledger | None, config_changed: float) -> list[Open]:
    """Reports in _quan-tri/ not yet fixed, newest first.

    Fixed means: a file's failure report whose file has since been processed (no failed ledger row
    names it any more); a draft's update failure whose draft is no longer waiting; a refused config
    change after which config.toml or a template was edited again (`config_changed`, the newest
    edit's timestamp: the service checks every edit and writes a new refusal if it is still
    wrong). Previews (Xem-truoc-*) are not problems.
    """
    folder = outbox / ADMIN
    if not folder.is_dir():
        return []
    failed = {p for row in ledger.files("failed") for p in row.outputs} if ledger else set()
    stale = {f"Loi-cap-nhat-{slug(k)}.txt" for k in ledger.stale()} if ledger else set()
    out = []
    for path in folder.iterdir():
        name = path.name
        if not path.is_file() or name.startswith((".", "Xem-truoc-")) or name.endswith(".part"):
            continue
        stat = path.stat()
        if "-Loi-xu-ly-" in name and str(path) not in failed:
            continue
        if name.startswith("Loi-cap-nhat-") and name not in stale:
            continue
        if name.endswith("-Cau-hinh-bi-tu-choi.txt") and config_changed > stat.st_mtime:
            continue
        out.append(Open(name, dt.datetime.fromtimestamp(stat.st_mtime), _head(path)))
    return sorted(out, key=lambda o: o.written, reverse=True)


def _head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(MAX_CHARS)
    text = data.decode("utf-8", errors="replace")
    return text + ("…" if path.stat().st_size > MAX_CHARS else "")
