"""10. Status at scale: a campaign of 100,000 accepted nominations → `docflow status` and the
dashboard's pages, and the ledger's size.

The ledger is filled fast and directly, as bench/aggregate.py does: one workbook is read and
validated for real, and its typed record is copied to 100 units (names made unique) and stored
with `Ledger.begin_file` + `Ledger.finish`, as an acceptance stores it; a rejected file is added
for every tenth unit, and the drafts are recorded as made (without files) after the last one.
`docflow status` runs as the command a clerk types (a subprocess, wall time
from start to exit, imports included); the dashboard's pages are served in-process by Starlette's
TestClient (the request → response time, no network). Each is the median of 5 after one warm-up.
Run alone: .venv/bin/python bench/status.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from common import (PYTHON, ROOT, Context, Figure, dn_rows, loadavg, make_workspace, unit_codes,
                    write_dn_excel_like)

SECTION = "10. Status"
STATUS_TARGET, PAGE_TARGET = 0.5, 0.3
REPS = 5
# (name, address, targeted, why there is a cost): the last three read every current record
PAGES = [("main page /", "/", True, "the versions' heads, no record read"),
         ("a unit's page /don-vi/<unit>", "/don-vi/DV001", True, "that unit's files"),
         ("drafts /du-thao", "/du-thao", True, "which awards each accepted version nominates "
          "for is read once per version and kept by the dashboard (a version never changes): "
          "a visit decodes only the versions accepted since the last one"),
         ("administration /quan-tri", "/quan-tri", True, "open problems"),
         ("awards and money /khen-thuong", "/khen-thuong", False,
          "reads every nomination (no target set)"),
         ("search /tim-kiem", "/tim-kiem?q=" + quote("Nguyễn Văn A-7"), False,
          "reads every nomination (no target set)")]


def run(ctx: Context) -> list[Figure]:
    units, per_unit = (10, 100) if ctx.quick else (100, 1000)
    root = ctx.folder("status")
    config_path = make_workspace(root, units=units, quotas=False)
    started = time.perf_counter()
    nominations = fill(root, config_path, units, per_unit)
    ledger = root / "state" / "ledger.sqlite3"
    size = sum(p.stat().st_size for p in ledger.parent.glob("ledger.sqlite3*"))
    ctx.log(f"  status: {nominations:,} nominations in the ledger ({size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s")
    status_s, text = _status(config_path)
    shown = next((line for line in text.splitlines() if "Sổ theo dõi" in line), "")
    figures = [
        Figure(SECTION, f"`docflow status` with {nominations:,} nominations", status_s, "s",
               STATUS_TARGET, note=f"median of {REPS} runs of the command (a new Python each "
                                   f"time); it says: “{shown.strip() or 'no ledger size shown'}”; "
                                   f"load {loadavg()}"),
        Figure(SECTION, "ledger size", size / 1e6, "MB",
               note=f"ledger.sqlite3 (and its -wal) for {nominations:,} accepted nominations in "
                    f"{units} files"),
    ]
    for name, ms, targeted, why in _pages(config_path):
        figures.append(Figure(SECTION, f"dashboard: {name}", ms, "ms",
                              PAGE_TARGET * 1000 if targeted else None, note=why))
    return figures


def fill(root: Path, config_path: Path, units: int, per_unit: int) -> int:
    """Store `units` accepted DN files of `per_unit` nominations each; how many in all."""
    from docflow.config import load
    from docflow.forms.read import read_form
    from docflow.store import Ledger
    from docflow.validation.validate import validate

    config = load(config_path)
    codes = unit_codes(units)
    source = write_dn_excel_like(root / "stage" / "mau.xlsx", codes[0],
                                 dn_rows("A", per_unit, chairman=per_unit // 20))
    sub = read_form(source, codes[0], config.forms, config.intake)
    base = validate(sub, config.forms["DN"], config, []).record
    now = dt.datetime.now().isoformat(timespec="seconds")
    ledger = Ledger(config.path("state") / "ledger.sqlite3")
    try:
        for n, code in enumerate(codes):
            if n % 10 == 0:
                bad = ledger.begin_file(code, "sai.xlsx", f"{n:064d}", root / "stage" / "x", now)
                ledger.finish(bad, "rejected", now, kind="DN",
                              problems=[{"code": "value.type", "message": "…"}])
            rows = [dict(r, name=f"{r['name']} {code}") for r in base.tables["Danh sách"]]
            record = replace(base, unit=code, fields=dict(base.fields, unit_code=code),
                             tables={"Danh sách": rows})
            file_id = ledger.begin_file(code, "mau.xlsx", f"{n + 1:064x}", root / "stage" / code,
                                        now)
            ledger.finish(file_id, "accepted", now, kind="DN", record=record,
                          stale=_stale(record, config))
        for key, version in ledger.stale().items():  # the drafts as made after the last file
            ledger.refreshed(key, version, [], now)
    finally:
        ledger.close()
    return units * len(base.tables["Danh sách"])


def _stale(record, config) -> list[str]:
    try:
        from docflow.documents.catalog import stale_keys
    except ImportError:
        return []
    return stale_keys(record, None, config)


def _status(config_path: Path) -> tuple[float, str]:
    """Median wall time of `docflow status` and its text."""
    times, text = [], ""
    for i in range(REPS + 1):
        started = time.perf_counter()
        proc = subprocess.run([PYTHON, "-m", "docflow", "--config", str(config_path), "status"],
                              capture_output=True, text=True, timeout=300, cwd=ROOT)
        took = time.perf_counter() - started
        if proc.returncode not in (0, 3):
            raise RuntimeError(f"docflow status failed ({proc.returncode}): {proc.stderr[-800:]}")
        text = proc.stdout
        if i:
            times.append(took)
    return statistics.median(times), text


def _pages(config_path: Path) -> list[tuple[str, float, bool, str]]:
    """Median milliseconds of each dashboard page, served in-process."""
    from starlette.testclient import TestClient

    from docflow.config import load
    from docflow.web import create_app

    client = TestClient(create_app(load(config_path), anonymous=True))
    out = []
    for name, url, targeted, why in PAGES:
        times, first = [], 0.0
        for i in range(REPS + 1):
            started = time.perf_counter()
            response = client.get(url)
            took = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            if i:
                times.append(took * 1000)
            else:
                first = took * 1000
        out.append((name, statistics.median(times), targeted,
                    f"median of {REPS} visits after a first one, which took {first:,.0f} ms; "
                    f"{why}"))
    return out


if __name__ == "__main__":
    from run import standalone
    standalone("status")
