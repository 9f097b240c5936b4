"""8. Several machines: the same burst through Celery + Redis (1 and 2 `docflow worker`s) against
the embedded pool (1 and 2 worker processes), Word only and Word + PDF, in one run.

All runs use one PostgreSQL ledger server (a fresh database each), so the difference between
an embedded and a Celery run of the same size is what the queue adds: claiming in the watcher,
the message through Redis, the worker's pick-up and the answer back through the result backend.
Per file: (Celery, 1 worker − embedded, 1 worker) / files, Word only, where one file follows
another. Workers are started and warmed (two files) before the clock starts.
Run alone: .venv/bin/python bench/engine.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import threading
import time
from pathlib import Path

from common import (ROOT, Context, Figure, Skip, dn_rows, have_office, loadavg, make_workspace,
                    set_key, unit_codes, wait_for, write_dn)

sys.path.insert(0, str(ROOT / "tests"))

SECTION = "8. Several machines"


def run(ctx: Context) -> list[Figure]:
    try:
        from servers import Postgres, Redis  # Debian's postgresql and redis-server
        postgres, redis = Postgres(), Redis()
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"PostgreSQL 15 or redis-server not available: {exc}") from exc
    files = 4 if ctx.quick else 40
    stage = ctx.folder("stage")
    codes = unit_codes(files + 2)
    built = {code: write_dn(stage / code / f"dn-{code}.xlsx", code, dn_rows(f"e{code}", 3, 2))
             for code in codes}
    plans = [(False, "embedded", 1), (False, "celery", 1)]
    if not ctx.quick:
        plans += [(False, "embedded", 2), (False, "celery", 2)]
        if have_office():
            plans += [(True, "embedded", 1), (True, "celery", 1), (True, "embedded", 2),
                      (True, "celery", 2)]
    seconds: dict[tuple[bool, str, int], float] = {}
    figures: list[Figure] = []
    try:
        trips = 10 if ctx.quick else 100
        pool_s, celery_s = (round_trips(ctx, k, trips, postgres, redis)
                            for k in ("embedded", "celery"))
        ctx.log(f"  engine round trips: embedded {pool_s / trips * 1000:.1f} ms, "
                f"celery {celery_s / trips * 1000:.1f} ms")
        figures.append(Figure(SECTION, "queue overhead per job (a job that does nothing)",
                              (celery_s - pool_s) / trips * 1000, "ms", 20.0,
                              note=f"{trips} no-op jobs (a drafts refresh with nothing out of "
                                   f"date) one after another: Celery {celery_s / trips * 1000:.1f}"
                                   f" ms each, embedded pool {pool_s / trips * 1000:.1f} ms each"))
        for n, (pdf, kind, workers) in enumerate(plans):
            label = f"{'Word + PDF' if pdf else 'Word only'}, {kind}, {workers} worker(s)"
            took = burst(ctx, n, pdf, kind, workers, built, postgres, redis)
            seconds[(pdf, kind, workers)] = took
            ctx.log(f"  engine {label}: {files} files in {took:.2f} s (load {loadavg()})")
            figures.append(Figure(SECTION, f"{label}: files per second", files / took, "files/s",
                                  note=f"{files} one-sheet DN files of 3 rows, drop → last answer "
                                       f"{took:.2f} s; load {loadavg()}"))
    finally:
        gc.collect()  # Celery's results unsubscribe from Redis when collected: while it runs
        redis.close()
        postgres.close()
    embedded, celery = seconds[(False, "embedded", 1)], seconds[(False, "celery", 1)]
    figures.append(Figure(SECTION, "difference per file in the burst (Word only, 1 worker)",
                          (celery - embedded) / files * 1000, "ms",
                          note=f"(Celery {celery:.2f} s − embedded {embedded:.2f} s) / {files} "
                               "files, both on the same PostgreSQL ledger; noisy on a shared "
                               "machine, the no-op figure above is the overhead"))
    return figures


def round_trips(ctx: Context, kind: str, trips: int, postgres, redis) -> float:
    """Seconds for `trips` jobs that do nothing, one after another, through one worker."""
    from engine_helpers import Workers

    from docflow.config import load
    from docflow.engine import CeleryDispatcher
    from docflow.jobs import REFRESH, Setup
    from docflow.watch.pool import Pool

    root = ctx.folder(f"trips-{kind}")
    config_path = make_workspace(root, units=1, watch={"workers": 1})
    config_path.write_text(config_path.read_text("utf-8") + (
        f'\n[engine]\nkind = "{kind}"\nbroker = "{redis.url[:-1]}15"\n'
        f'\n[ledger]\nurl = "{postgres.new_database()}"\n'), "utf-8")
    config = load(config_path)
    crew = Workers(config_path, 1, ctx.folder(f"trips-logs-{kind}")) if kind == "celery" else None
    done = threading.Semaphore(0)
    factory = CeleryDispatcher if kind == "celery" else Pool
    dispatcher = factory(1, 60.0, Setup(config, dt.datetime.now), lambda report: done.release())
    try:
        if crew is not None:
            crew.wait_ready(180)
        dispatcher.start()
        dispatcher.submit(REFRESH)  # warm: the worker's workspace is open
        done.acquire(timeout=300)
        started = time.monotonic()
        for _ in range(trips):
            dispatcher.submit(REFRESH)
        for _ in range(trips):
            if not done.acquire(timeout=300):
                raise TimeoutError("no answer")
        return time.monotonic() - started
    finally:
        dispatcher.stop()
        if crew is not None:
            crew.stop()


def burst(ctx: Context, n: int, pdf: bool, kind: str, workers: int, built: dict[str, Path],
          postgres, redis) -> float:
    """Seconds from dropping the files to the last one answered (warm-up files excluded)."""
    from engine_helpers import Workers

    from docflow.config import load
    from docflow.engine import CeleryDispatcher
    from docflow.store import open_ledger
    from docflow.watch import Watcher
    from docflow.watch.pool import Pool

    root = ctx.folder(f"run-{n}")
    config_path = make_workspace(root, pdf=pdf, units=len(built),
                                 watch={"stability_seconds": 0.3, "poll_seconds": 0.2,
                                        "rescan_seconds": 600.0, "workers": workers})
    text = set_key(config_path.read_text("utf-8"), "output", "instances", 1)
    text += (f'\n[engine]\nkind = "{kind}"\nbroker = "{redis.url[:-1]}{n % 16}"\n'
             f'\n[ledger]\nurl = "{postgres.new_database()}"\n')
    config_path.write_text(text, "utf-8")
    config = load(config_path)
    ledger = open_ledger(config)
    logs = ctx.folder(f"logs-{n}")
    crew = Workers(config_path, workers, logs) if kind == "celery" else None
    watcher = Watcher(config, ledger, dt.datetime.now,
                      dispatcher=CeleryDispatcher if kind == "celery" else Pool)
    thread = threading.Thread(target=watcher.run, daemon=True)
    try:
        if crew is not None:
            crew.wait_ready(180)
        thread.start()
        wait_for(lambda: watcher.probes, 60, 0.05, "the watcher did not start")
        codes = list(built)
        warm, timed = codes[:2], codes[2:]
        drop(root, built, warm)
        wait_for(lambda: answered(ledger) >= 2, 300, 0.05, "warm-up files")
        started = time.monotonic()
        drop(root, built, timed)
        wait_for(lambda: answered(ledger) >= len(codes), 900, 0.02, "the burst")
        return time.monotonic() - started
    finally:
        watcher.stop()
        thread.join(120)
        if crew is not None:
            crew.stop()
        ledger.close()


def drop(root: Path, built: dict[str, Path], codes: list[str]) -> None:
    """Copy beside the inbox, then rename in: each file appears whole."""
    for code in codes:
        staged = root / "stage" / code / built[code].name
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(built[code].read_bytes())
    for code in codes:
        os.replace(root / "stage" / code / built[code].name,
                   root / "inbox" / code / built[code].name)


def answered(ledger) -> int:
    return sum(1 for r in ledger.files() if r.status != "processing")


if __name__ == "__main__":
    from run import standalone
    standalone("engine")
