"""Run every docflow benchmark, print one table of figures against their targets, write RESULTS.md.

    .venv/bin/python bench/run.py            # the full run (about 10–15 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run in well under a minute (CI)
    .venv/bin/python bench/run.py --only latency,render

Each measurement is a module of its own (bench/<name>.py, with `run(ctx) -> list[Figure]`) that
builds its inputs in code in a temporary workspace. Speed and memory are measured here, never
asserted by a test: the exit code is 1 only when a benchmark itself broke, not when a figure
misses its target. The full run writes bench/RESULTS.md; --quick writes bench/RESULTS-quick.md.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, ROOT, Context, Figure, Skip, loadavg, machine  # noqa: E402

MODULES = ["latency", "burst", "large_list", "aggregate", "pdf", "render", "intake", "history", "engine",
           "status"]
TITLES = {
    "latency": "1. Latency: file closed in inbox/<unit>/ → receipt in outbox/<unit>/",
    "burst": "2. Deadline burst: 100 units × 20 rows at once",
    "large_list": "3. Large list: one DN of 5,000 / 20,000 rows → decision and list",
    "aggregate": "4. Aggregate refresh as the campaign grows",
    "pdf": "5. PDF: kept-running LibreOffice vs cold soffice --convert-to",
    "render": "6. Rendering: docflow Renderer vs raw docxtpl vs docxtemplater (Node)",
    "intake": "7. Intake: a 50,000-row DN read and validated",
    "history": "8. History: a 10,000-row award history workbook into the register",
    "engine": "9. Several machines: Celery + Redis (1, 2 workers) vs the embedded pool",
    "status": "10. Status at scale: 100,000 accepted nominations → docflow status, the dashboard",
}
HEAD = ["Figure", "Value", "Target", "vs target", "Verdict"]


def run_modules(names: list[str], quick: bool, keep: bool) -> tuple[list[tuple[str, list[Figure], float]], bool]:
    """Each module's figures and seconds; True when any module broke."""
    out, broken = [], False
    tmp = Path(tempfile.mkdtemp(prefix="docflow-bench-"))
    try:
        for name in names:
            started = time.monotonic()
            print(f"[{time.strftime('%H:%M:%S')}] {TITLES[name]} (load {loadavg()})", flush=True)
            ctx = Context(quick=quick, tmp=tmp / name,
                          log=lambda line: print(line, flush=True))
            ctx.tmp.mkdir(parents=True)
            try:
                figures = importlib.import_module(name).run(ctx)
            except Skip as exc:
                figures = [Figure(TITLES[name].split(":")[0], "skipped", None, "", note=str(exc))]
            except Exception as exc:  # one broken benchmark must not hide the others
                broken = True
                traceback.print_exc()
                figures = [Figure(TITLES[name].split(":")[0], "error", None, "",
                                  note=f"{type(exc).__name__}: {exc}")]
            seconds = time.monotonic() - started
            print(f"    … {seconds:.0f} s", flush=True)
            out.append((name, figures, seconds))
            if not keep:
                shutil.rmtree(ctx.tmp, ignore_errors=True)
    finally:
        if keep:
            print(f"workspaces kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return out, broken


def text_table(results: list[tuple[str, list[Figure], float]]) -> str:
    rows = [HEAD]
    for name, figures, _ in results:
        rows.append([TITLES[name], "", "", "", ""])
        rows += [[f"  {f.name}", *f.cells()] for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = []
    for i, r in enumerate(rows):
        if r[1:] == ["", "", "", ""] and i:
            lines.append(r[0])
        else:
            lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) if j < 3 else c.ljust(w)
                                   for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def markdown(results: list[tuple[str, list[Figure], float]], info: dict[str, str], quick: bool,
             total: float, load_before: str, code_before: str,
             causes: dict[str, str] | None = None) -> str:
    met = sum(1 for _, fs, _ in results for f in fs if f.met is True)
    missed = [f for _, fs, _ in results for f in fs if f.met is False]
    unmeasured = [f for _, fs, _ in results for f in fs if f.target is not None and f.value is None]
    lines = [f"# docflow benchmarks{' (quick smoke run: figures are not meaningful)' if quick else ''}",
             "",
             f"`.venv/bin/python bench/run.py{' --quick' if quick else ''}` on {info['date']}, "
             f"{total / 60:.1f} minutes. Targets met: {met}; missed: {len(missed)}; "
             f"not measured: {len(unmeasured)}.",
             "",
             "| Machine | |", "|---|---|",
             f"| CPU | {info['cpu']}, {info['cores']} cores |",
             f"| RAM | {info['ram']} |",
             f"| Load average (1, 5, 15 min) | {load_before} at the start, {loadavg()} at the end "
             "(other developers' test runs share the machine) |",
             f"| OS | {info['os']} |",
             f"| Python | {info['python']} ({info['libraries']}) |",
             f"| LibreOffice | {info['libreoffice']} |",
             f"| Node | {info['node']} |",
             f"| docflow | {code_before}"
             + (f" (at the start; at the end: {_git()} — docflow changed during the run)"
                if _git() != code_before else "") + " |",
             ""]
    for name, figures, seconds in results:
        lines += [f"## {TITLES[name]}", "", f"_{seconds:.0f} s_", "",
                  "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
        for f in figures:
            lines.append("| " + " | ".join([f.name, *f.cells()]).replace("\n", " ") + " |")
        notes = [f"- **{f.name}**: {f.note}" for f in figures if f.note]
        if notes:
            lines += ["", *notes]
        lines.append("")
    if missed:
        causes = known_causes() if causes is None else causes
        lines += ["## Missed targets", "",
                  "Each with its cause as the team found it (bench/CAUSES.md), where one is known.",
                  ""]
        for f in missed:
            lines.append(f"- {f.section} — {f.name}: {f.cells()[0]} against {f.cells()[1]} "
                         f"({f.cells()[2]})")
            if f.name in causes:
                lines.append(f"  Cause: {causes[f.name]}")
        lines.append("")
    return "\n".join(lines)


def known_causes(path: Path = BENCH / "CAUSES.md") -> dict[str, str]:
    """Figure name → why it misses its target, from the `## <figure name>` sections of
    CAUSES.md (written by the team from profiles; printed only while the figure misses)."""
    causes: dict[str, str] = {}
    name = ""
    for line in path.read_text("utf-8").splitlines() if path.is_file() else []:
        if line.startswith("## "):
            name = line[3:].strip()
            causes[name] = ""
        elif name and line.strip():
            causes[name] = f"{causes[name]} {line.strip()}".strip()
    return causes


def _git() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "docflow", "templates", "config.toml"],
                               capture_output=True, text=True, timeout=10).stdout.splitlines()
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return f"{head}" + (f" + {len(dirty)} uncommitted changes in docflow/, templates/"
                        if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs: a smoke run (CI)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(MODULES)}")
    parser.add_argument("--out", type=Path, help="results file (default bench/RESULTS.md, "
                        "or bench/RESULTS-quick.md with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspaces")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or MODULES
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {MODULES}")
    info = machine()
    load_before, code_before = info["load"], _git()
    print(f"docflow bench{' --quick' if args.quick else ''}: {info['cpu']}, {info['cores']} cores, "
          f"{info['ram']}, load {load_before}; {info['libreoffice']}; Python {info['python']}",
          flush=True)
    started = time.monotonic()
    results, broken = run_modules(names, args.quick, args.keep)
    total = time.monotonic() - started
    print()
    print(text_table(results))
    out = args.out or BENCH / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    out.write_text(markdown(results, info, args.quick, total, load_before, code_before), encoding="utf-8")
    print(f"\n{total / 60:.1f} minutes; load average now {loadavg()}; written to {out}")
    return 1 if broken else 0


def standalone(name: str) -> None:
    """`python bench/<name>.py [--quick]`: one benchmark alone, printed, nothing written."""
    quick = "--quick" in sys.argv[1:]
    results, broken = run_modules([name], quick, "--keep" in sys.argv[1:])
    print(text_table(results))
    for _, figures, _ in results:
        for f in figures:
            if f.note:
                print(f"  {f.name}: {f.note}")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    sys.exit(main())
