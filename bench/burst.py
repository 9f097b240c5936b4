"""2. Deadline burst: 100 units each drop a 20-row DN at the same moment.

`docflow watch` runs as a black box (the shipped number of workers, 3, which share the
service's two kept-running LibreOffice; stability 0.5 s), warmed up by two
small files. The 100 workbooks are built beforehand and moved into inbox/<unit>/ in one loop
(renames: all there within milliseconds). Done = every unit's Phiếu tiếp nhận is in its outbox
(with its PDF when PDF is on) and the Chairman's decision in outbox/_tong-hop/ lists a nominee of
every unit (its PDF no older than the docx). Each file has 5 rows for the Chairman's Bằng khen
(the quota) and 15 for the unit head's Giấy khen, so each unit gets a receipt and its own
Giấy khen decision, and the province one decision: 201 documents (+ as many PDFs). The Word-only
burst also runs with `workers = 1` first, to show what the other workers add.
With PDF, the target is relative to the machine (issue 17): the burst's own documents are then
converted again by two kept-running LibreOffice instances alone, in the same run, and the burst must
deliver at least 0.75 × that rate. The service's memory is the PSS sum of its process tree (shared
pages counted once, as the kernel accounts them); the RSS sum, which counts every shared library
once per process, is in the note.
Run alone: .venv/bin/python bench/burst.py [--quick]
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from common import (SUMMARY, Context, Figure, Service, TreeSampler, dn_rows, docx_text,
                    have_office, loadavg, make_workspace, unit_codes, wait_for, write_dn)

from docflow.config.runtime import Watch

SECTION = "2. Burst"
SHIPPED = Watch().workers  # [watch] workers as docflow ships it
STABILITY = 0.5


def run(ctx: Context) -> list[Figure]:
    units, rows = (5, 5) if ctx.quick else (100, 20)
    stage = ctx.folder("stage")
    ctx.log(f"  burst: building {units} workbooks of {rows} rows")
    files = {code: write_dn(stage / code / f"dn-{code}.xlsx", code,
                            dn_rows(f"b{code}", rows, chairman=min(5, rows)))
             for code in unit_codes(units)}
    warm = {code: write_dn(stage / code / f"warm-{code}.xlsx", code, dn_rows(f"w{code}", 2, 1))
            for code in (f"DV{units + 1:03d}", f"DV{units + 2:03d}")}
    figures: list[Figure] = []
    if not ctx.quick:  # diagnosis first: does a second worker help?
        try:
            one = measure(ctx, False, files, warm, units, "Word only, 1 worker", workers=1)[1]
            ctx.extra["one_worker"] = one.value
            one.name = "diagnosis: Word only with workers = 1: receipts + refreshed decision"
            one.target = None
            ctx.extra["one_worker_figure"] = one
        except Exception as exc:
            ctx.log(f"  burst with 1 worker failed: {exc}")
    for pdf in ((False,) if ctx.quick else (False, True)):
        label = "Word + PDF" if pdf else "Word only"
        if pdf and not have_office():
            figures.append(Figure(SECTION, f"{label}: documents per second", None, "docs/s", 8.0,
                                  "ge", note="LibreOffice (soffice, python3-uno) not installed"))
            continue
        try:
            figures += measure(ctx, pdf, files, warm, units, label)
        except Exception as exc:
            figures.append(Figure(SECTION, f"{label}: everything delivered", None, "s",
                                  30.0 if not pdf else None, note=f"failed: {exc}"))
    if "one_worker_figure" in ctx.extra:
        figures.append(ctx.extra["one_worker_figure"])
    return figures


def measure(ctx: Context, pdf: bool, files: dict[str, Path], warm: dict[str, Path], units: int,
            label: str, workers: int = SHIPPED) -> list[Figure]:
    root = ctx.folder(f"burst-{'pdf' if pdf else 'word'}-{workers}")
    config = make_workspace(root, pdf=pdf, units=units + 2,
                            watch={"mode": "native", "stability_seconds": STABILITY,
                                   "rescan_seconds": 600.0, "workers": workers})
    inbox, outbox = root / "inbox", root / "outbox"
    staged = {}
    for code, src in {**files, **warm}.items():  # same filesystem as the inbox: moves are renames
        staged[code] = root / "stage" / src.name
        staged[code].parent.mkdir(exist_ok=True)
        staged[code].write_bytes(src.read_bytes())
    with Service(config, root / "watch.log") as service:
        for code in warm:
            os.replace(staged[code], inbox / code / staged[code].name)
        for code in warm:
            wait_for(lambda: _receipt(outbox, code, pdf) or service.check(), 180, 0.05,
                     f"warm-up receipt {code} (log: {service.tail(5)})")
        time.sleep(1.0)
        budget = 120.0 if not pdf else 600.0
        seen: dict[str, float] = {}
        with TreeSampler(service.pid, 0.2) as memory:
            started = time.time()
            for code in files:
                os.replace(staged[code], inbox / code / staged[code].name)
            moved = time.time() - started

            def receipts() -> bool:
                for code in files:
                    if code not in seen and _receipt(outbox, code, pdf):
                        seen[code] = time.time()
                service.check()
                return len(seen) == len(files)

            wait_for(receipts, budget, 0.05, f"{len(files)} receipts ({len(seen)} seen)")
            last_receipt = max(seen.values()) - started
            ctx.log(f"  burst {label}: {len(files)} receipts in {last_receipt:.1f} s")
            names = [f"Nguyễn Văn b{code}-2" for code in files]  # a Chairman's nominee each
            decision_at = None
            try:
                wait_for(lambda: _decision_complete(outbox, names, pdf), 90 if not pdf else 180,
                         0.1, "the refreshed decision listing every unit")
                decision_at = time.time() - started
            except TimeoutError as exc:
                decision_error = str(exc)
            service.remember()
        delivered = _count_documents(outbox, files)
        ctx.log(f"  burst {label}: decision at {decision_at}; {delivered} documents; "
                f"tree peak {memory.peak_rss:.0f} MB; load {loadavg()}")
    total = decision_at if decision_at is not None else None
    docs_note = (f"{delivered} documents delivered for the {len(files)} files "
                 f"(receipts, each unit's Giấy khen decision, the Chairman's decision)"
                 f"{', each with its PDF' if pdf else ''}; moves took {moved * 1000:.0f} ms")
    why = "" if total is not None else (f"; the decision listing every unit was not delivered "
                                        f"({decision_error})")
    if workers == SHIPPED and not pdf and ctx.extra.get("one_worker") and total:
        docs_note += (f". The same burst with `workers = 1` took {ctx.extra['one_worker']:.2f} s "
                      f"({ctx.extra['one_worker'] / total:.2f}× this)")
    rate_target, rate_note = None, ""
    if pdf:
        reference = _conversion_rate(ctx, outbox, files)
        rate_target = 0.75 * reference
        rate_note = (f"; two kept-running LibreOffice alone convert the same documents at "
                     f"{reference:.2f} docs/s in this run, target 0.75 × that")
    figures = [
        Figure(SECTION, f"{label}: last receipt", last_receipt, "s",
               note=f"first receipt {min(seen.values()) - started:.2f} s after the drop; "
                    f"{len(files) / last_receipt:.1f} files/s; load {loadavg()}"),
        Figure(SECTION, f"{label}: receipts + refreshed decision", total, "s",
               30.0 if not pdf else None, note=docs_note + why),
        Figure(SECTION, f"{label}: documents per second",
               delivered / total if total else None, "docs/s", rate_target, "ge",
               note=f"{delivered} documents / time until everything was delivered{rate_note}"),
        Figure(SECTION, f"{label}: peak memory of the service process tree", memory.peak_pss,
               "MB", 600.0 if pdf else None,
               note=f"PSS sum of docflow watch, its workers"
                    f"{', their UNO bridges and LibreOffice' if pdf else ''} "
                    f"({len(memory.peak_pids)} processes at the peak); RSS sum "
                    f"{memory.peak_rss:.0f} MB"),
    ]
    return figures


def _conversion_rate(ctx: Context, outbox: Path, files: dict[str, Path]) -> float:
    """Documents per second two kept-running LibreOffice convert, on the burst's own .docx."""
    import bench_convert

    docs = sorted(p for code in files for p in (outbox / code).glob("*.docx"))
    docs += sorted((outbox / SUMMARY).glob("*.docx"))
    _, total = bench_convert.kept(docs, ctx.folder("burst-reference"), 2)
    return len(docs) / total


def _receipt(outbox: Path, code: str, pdf: bool) -> bool:
    try:
        names = os.listdir(outbox / code)
    except FileNotFoundError:
        return False
    docx = [n for n in names if "-Phieu-tiep-nhan-dn-" in n and n.endswith(".docx")
            or "-Phieu-tiep-nhan-warm-" in n and n.endswith(".docx")]
    if any("Phieu-bao-loi" in n for n in names):
        bad = next(n for n in names if "Phieu-bao-loi" in n and n.endswith(".txt"))
        raise RuntimeError(f"{code} rejected: {(outbox / code / bad).read_text('utf-8')[:600]}")
    return bool(docx) and (not pdf or all(n[:-5] + ".pdf" in names for n in docx))


def _decision_complete(outbox: Path, names: list[str], pdf: bool) -> bool:
    folder = outbox / SUMMARY
    found = sorted(folder.glob("Quyet-dinh-tang-Bang-khen-cua-Chu-tich*.docx")) \
        if folder.is_dir() else []
    if not found:
        return False
    path = found[0]
    try:
        text = docx_text(path)
    except Exception:  # replaced while being read
        return False
    if not all(n in text for n in names):
        return False
    return not pdf or (path.with_suffix(".pdf").exists()
                       and path.with_suffix(".pdf").stat().st_mtime >= path.stat().st_mtime - 1)


def _count_documents(outbox: Path, files: dict[str, Path]) -> int:
    n = sum(1 for code in files for p in (outbox / code).glob("*.docx"))
    return n + sum(1 for _ in (outbox / SUMMARY).glob("*.docx")) if (outbox / SUMMARY).is_dir() \
        else n


if __name__ == "__main__":
    from run import standalone
    standalone("burst")
