"""4. Aggregate refresh as the campaign grows: the cost of one more accepted DN file when the
ledger already holds 100, 1,000, 10,000 or 100,000 accepted nominations; the targets are the cost
at 10,000 and at 100,000 as a ratio of the cost at 100 (≤ 1.5× and ≤ 2×).

The ledger is filled fast and directly: one workbook per level is read and validated for real,
and its typed record is copied to 100 units (names made unique) and stored with
`Ledger.begin_file` + `Ledger.finish`, as an acceptance stores it. The province-wide drafts are
then made once (untimed), as in a running campaign. The measured cost is that of the pipeline for
one more 20-row file from a new unit, plus, when the pipeline has one, the refresh of the
province-wide drafts it made stale (Word only: no PDF), the median of 3 files; and once at 10,000
with PDF (the list's parts converted once per content, see docs/incremental-drafts.md). An untimed file goes first (templates compiled). The largest level
is profiled with cProfile; the top entries are in the note.
Run alone: .venv/bin/python bench/aggregate.py [--quick]
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import pstats
import statistics
import time
from dataclasses import replace
from pathlib import Path

from common import (Context, Figure, dn_rows, have_office, loadavg, make_workspace, unit_codes,
                    write_dn, write_dn_excel_like)

SECTION = "4. Aggregate"


def run(ctx: Context) -> list[Figure]:
    units, levels, reps = (10, (20, 100), 1) if ctx.quick else \
        (100, (100, 1000, 10_000, 100_000), 3)
    figures, costs = [], {}
    for level in levels:
        got = measure(ctx, units, level, reps, profile=level == levels[-1])
        costs[level] = got["total"]
        parts = (f"pipeline {got['accept']:.2f} s + refresh {got['refresh']:.2f} s"
                 if got["has_refresh"] else "pipeline (renders the decision itself)")
        figures.append(Figure(
            SECTION, f"one more file with {level:,} nominations in the ledger", got["total"], "s",
            note=f"median of {reps}: {parts}; decision {got['decision_kb']:.0f} kB; prefill "
                 f"{got['prefill']:.1f} s; load {loadavg()}"
                 + (f". Profile of one more file (cumulative s): {got['profile']}"
                    if got.get("profile") else "")))
    if not ctx.quick and have_office():
        got = measure(ctx, units, 10_000, 2, profile=False, pdf=True)
        figures.append(Figure(
            SECTION, "one more file with 10,000 nominations in the ledger, Word + PDF",
            got["total"], "s", note=f"median of 2: pipeline {got['accept']:.2f} s + refresh "
            f"{got['refresh']:.2f} s on the pool's LibreOffice; the first making of the drafts "
            f"(prefill, with the ledger's filling) took {got['prefill']:.1f} s; load {loadavg()}"))
    low = levels[0]
    targets = {levels[-1]: 2.0} if ctx.quick else {10_000: 1.5, 100_000: 2.0}
    for high, target in targets.items():
        figures.append(Figure(
            SECTION, f"cost at {high:,} ÷ cost at {low:,}", costs[high] / costs[low], "×", target,
            note="the target: one more file must not cost more as the campaign grows (each "
                 "table of the lists rendered once per content, the PDF from cached parts)"))
    return figures


def measure(ctx: Context, units: int, level: int, reps: int, profile: bool,
            pdf: bool = False) -> dict:
    from docflow import pipeline
    from docflow.config import load
    from docflow.forms.read import read_form
    from docflow.store.fsops import sha256
    from docflow.validation.validate import validate
    from docflow.workspace import Workspace

    root = ctx.folder(f"aggregate-{level}{'-pdf' if pdf else ''}")
    config_path = make_workspace(root, units=units + reps + 1, quotas=True, pdf=pdf)
    codes = unit_codes(units + reps + 1)
    per_unit = max(1, level // units)
    started = time.perf_counter()
    source = write_dn_excel_like(root / "stage" / "mau.xlsx", codes[0],
                                 dn_rows("A", per_unit, chairman=per_unit))
    ws = Workspace.open(load(config_path), converter="config" if pdf else None)
    try:
        sub = read_form(source, codes[0], ws.config.forms, ws.config.intake)
        base = validate(sub, ws.config.forms["DN"], ws.config, []).record
        now = dt.datetime.now().isoformat(timespec="seconds")
        digest = sha256(source)
        for code in codes[:units]:
            rows = [dict(r, name=f"{r['name']} {code}") for r in base.tables["Danh sách"]]
            record = replace(base, unit=code, fields=dict(base.fields, unit_code=code),
                             tables={"Danh sách": rows})
            file_id = ws.ledger.begin_file(code, "mau.xlsx", f"{digest[:56]}{code:>8}",
                                           root / "stage" / code, now)
            ws.ledger.finish(file_id, "accepted", now, kind="DN", record=record,
                             **_stale_arg(ws, record))
        refresh = getattr(pipeline, "refresh_aggregates", None)
        if refresh is not None:
            refresh(ws)  # the drafts as they stand before the new file
        prefill = time.perf_counter() - started
        warm = codes[units]  # one untimed file first: the receipt's templates get compiled
        pipeline.process_inbox_file(write_dn(root / "inbox" / warm / "dn.xlsx", warm,
                                             dn_rows(f"n{warm}", 20, chairman=5)), ws)
        if refresh is not None:
            refresh(ws)
        totals, accepts, refreshes, prof_text = [], [], [], ""
        for i, code in enumerate(codes[units + 1:]):
            path = write_dn(root / "inbox" / code / f"dn-{code}.xlsx", code,
                            dn_rows(f"n{code}", 20, chairman=5))
            profiler = cProfile.Profile() if profile and i == 0 else None
            if profiler:
                profiler.enable()
            t0 = time.perf_counter()
            outcome = pipeline.process_inbox_file(path, ws)
            t1 = time.perf_counter()
            if refresh is not None:
                refresh(ws)
            t2 = time.perf_counter()
            if profiler:
                profiler.disable()
                prof_text = _top(profiler)
            if outcome.status != "accepted":
                raise RuntimeError(f"{code}: {outcome.status} {outcome.problems[:2]}")
            accepts.append(t1 - t0)
            refreshes.append(t2 - t1)
            totals.append(t2 - t0)
        decision = next((root / "outbox" / "_tong-hop").glob("Quyet-dinh-tang-Bang-khen-cua-Chu*.docx"))
    finally:
        ws.close()
    ctx.log(f"  aggregate {level}: {statistics.median(totals):.2f} s per file")
    return {"total": statistics.median(totals), "accept": statistics.median(accepts),
            "refresh": statistics.median(refreshes), "has_refresh": refresh is not None,
            "prefill": prefill, "decision_kb": decision.stat().st_size / 1024,
            "profile": prof_text}


def _stale_arg(ws, record) -> dict:
    """Mark the drafts stale as an acceptance would, where the ledger knows about stale drafts."""
    try:
        from docflow.documents.catalog import stale_keys
    except ImportError:
        return {}
    return {"stale": stale_keys(record, None, ws.config)}


def _top(profiler: cProfile.Profile, n: int = 12) -> str:
    """The heaviest docflow functions of a profile, by cumulative time, on one line."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    entries = []
    for (file, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "/docflow/" in file or "docxtpl" in file or "jinja2" in file or "sqlite" in func:
            short = file.split("/docflow/")[-1] if "/docflow/" in file else Path(file).name
            entries.append((ct, f"{short}:{func} {ct:.2f} ({nc} calls)"))
    entries.sort(reverse=True)
    return "; ".join(text for _, text in entries[:n])


if __name__ == "__main__":
    from run import standalone
    standalone("aggregate")
