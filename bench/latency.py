"""1. Latency: a file closed in inbox/<unit>/ → its Phiếu tiếp nhận visible in outbox/<unit>/.

`docflow --config X watch` runs as a black-box subprocess with a short stability delay. Files are
dropped on a fixed schedule (one every 1.2 s, 2.1 s with PDF, rotating over 10 units: longer
than a file takes, so they seldom queue), each written and closed straight into the unit folder,
as a copy onto the share would be. The receipt counts
when its .docx (and, with PDF on, its .pdf) is in outbox/<unit>/; the bench polls every 5 ms.
Run alone: .venv/bin/python bench/latency.py [--quick]
"""

from __future__ import annotations

import time
from pathlib import Path

from common import (Context, Figure, Service, dn_rows, have_office, loadavg, make_workspace,
                    percentile, receipt_of, unit_codes, wait_for, write_dn)

SECTION = "1. Latency"
STABILITY = 0.5
POLL = 1.0          # the shipped [watch] poll_seconds
UNITS = 10
# Files arrive on a fixed schedule (open loop), rotating over the units: one every INTERVAL s,
# longer than a file's processing, so that they rarely queue behind each other, as in a normal
# working day. Waiting for each receipt before the next drop would double the bench's duration.
# Neither is a multiple of the 1 s poll: drops every 2.0 s met the poll at one fixed phase, so
# every file waited the same part of the poll interval and p50 said more about that phase
# than about docflow; 1.2 and 2.1 s move through every phase in 5 and 10 files.
INTERVAL, INTERVAL_PDF = 1.2, 2.1
ROWS, CHAIRMAN = 5, 2


def run(ctx: Context) -> list[Figure]:
    files = 4 if ctx.quick else 50
    variants = [("native", False), ("polling", False)]
    if not ctx.quick:
        variants += [("native", True), ("polling", True)]
    figures: list[Figure] = []
    for mode, pdf in variants:
        label = f"{'native events' if mode == 'native' else f'polling {POLL:g} s'}, " \
                f"{'Word + PDF' if pdf else 'Word only'}"
        if pdf and not have_office():
            figures += _not_measured(label, "LibreOffice (soffice, python3-uno) not installed")
            continue
        try:
            latencies = measure(ctx, mode, pdf, files)
        except Exception as exc:  # one variant failing must not hide the others
            figures += _not_measured(label, f"failed: {exc}")
            continue
        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        every = INTERVAL_PDF if pdf else INTERVAL
        note = (f"{len(latencies)} files, one every {every:g} s; stability {STABILITY:g} s; "
                f"p50 is stability + "
                f"{p50 - STABILITY:.2f} s, p95 stability + {p95 - STABILITY:.2f} s; "
                f"min {min(latencies):.2f} s, max {max(latencies):.2f} s; load {loadavg()}")
        figures += _figures(label, mode, p50, p95, note)
    return figures


def _targets(mode: str) -> tuple[float, str, float, str]:
    """p50 and p95 targets (issue 17): with native events the stability clock starts at the
    close event; polling first has to see the file, on average half an interval later, and at
    worst a whole one (so its p95 allows the whole interval)."""
    if mode == "native":
        return (STABILITY + 0.15, f"≤ {STABILITY:g} + 0.15 s",
                STABILITY + 0.5, f"≤ {STABILITY:g} + 0.5 s")
    return (STABILITY + POLL / 2 + 0.2, f"≤ {STABILITY:g} + {POLL / 2:g} + 0.2 s",
            STABILITY + POLL + 0.5, f"≤ {STABILITY:g} + {POLL:g} + 0.5 s")


def _figures(label: str, mode: str, p50: float | None, p95: float | None,
             note: str) -> list[Figure]:
    t50, text50, t95, text95 = _targets(mode)
    return [Figure(SECTION, f"{label}: p50", p50, "s", t50, target_text=text50, note=note),
            Figure(SECTION, f"{label}: p95", p95, "s", t95, target_text=text95,
                   note=note if p95 is None else "")]


def _not_measured(label: str, why: str) -> list[Figure]:
    return _figures(label, "polling" if label.startswith("polling") else "native", None, None,
                    why)


def measure(ctx: Context, mode: str, pdf: bool, files: int) -> list[float]:
    """Latencies in seconds of `files` drops, after two warm-up rounds."""
    root = ctx.folder(f"latency-{mode}-{'pdf' if pdf else 'word'}")
    config = make_workspace(root, pdf=pdf, units=UNITS,
                            watch={"mode": mode, "stability_seconds": STABILITY,
                                   "poll_seconds": POLL, "rescan_seconds": 600.0})
    units = unit_codes(UNITS)
    stage = root / "stage"
    ctx.log(f"  latency {mode} pdf={pdf}: building {files + 4} workbooks")
    blobs = []
    for i in range(files + 4):
        unit, stem = units[i % len(units)], f"lat-{i:03d}"
        path = write_dn(stage / f"{stem}.xlsx", unit, dn_rows(stem, ROWS, chairman=CHAIRMAN))
        blobs.append((unit, stem, path.read_bytes()))
    outbox = root / "outbox"
    every = INTERVAL_PDF if pdf else INTERVAL
    with Service(config, root / "watch.log") as service:
        # Warm-up: two files at once reach both workers (and start their LibreOffice).
        for round_ in (0, 1):
            pair = blobs[2 * round_:2 * round_ + 2]
            for unit, stem, data in pair:
                _drop(root / "inbox" / unit / f"{stem}.xlsx", data)
            for unit, stem, _ in pair:
                wait_for(lambda: _seen(service, outbox, unit, stem, pdf), 180, 0.05,
                         f"warm-up receipt {unit}/{stem} (log: {service.tail(5)})")
        time.sleep(1.0)
        todo = list(blobs[4:])
        pending: dict[tuple[str, str], float] = {}
        latencies: list[float] = []
        start = time.monotonic()
        deadline = start + len(todo) * every + 120
        while todo or pending:
            now = time.monotonic()
            if todo and now >= start + (len(blobs) - 4 - len(todo)) * every:
                unit, stem, data = todo.pop(0)
                pending[(unit, stem)] = _drop(root / "inbox" / unit / f"{stem}.xlsx", data)
            for (unit, stem), closed in list(pending.items()):
                seen = _seen(service, outbox, unit, stem, pdf)
                if seen is not None:
                    latencies.append(seen - closed)
                    del pending[(unit, stem)]
            if now > deadline:
                raise TimeoutError(f"{len(pending)} receipts missing after 120 s: "
                                   f"{sorted(pending)[:3]}")
            time.sleep(0.005)
        service.remember()
    ctx.log(f"  latency {mode} pdf={pdf}: p50 {percentile(latencies, 50):.3f} s "
            f"p95 {percentile(latencies, 95):.3f} s")
    return latencies


def _drop(path: Path, data: bytes) -> float:
    """Write and close the file in the inbox; the wall time of the close."""
    with path.open("wb") as fh:
        fh.write(data)
    return time.time()


def _seen(service: Service, outbox: Path, unit: str, stem: str, pdf: bool) -> float | None:
    got = receipt_of(outbox, unit, stem, pdf)
    if got is None:
        service.check()
    return got


if __name__ == "__main__":
    from run import standalone
    standalone("latency")
