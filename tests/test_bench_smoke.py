"""The benchmark runs end to end on tiny inputs (CI's smoke run; figures are not judged here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_runs_and_writes_its_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick",
                             "--out", str(out)], capture_output=True, text=True, timeout=600,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    table = out.read_text("utf-8")
    assert "| Figure | Value | Target |" in table and "Machine" in table


def test_a_missed_target_is_listed_with_its_cause_and_a_met_one_is_not(tmp_path):
    sys.path[:0] = [str(ROOT / "bench")]
    try:
        from common import Figure
        from run import known_causes, markdown
    finally:
        del sys.path[0]
    causes = tmp_path / "CAUSES.md"
    causes.write_text("# Causes\n\n## slow thing: time\nLibreOffice lays out\nevery page.\n\n"
                      "## fast thing: time\nNever printed while met.\n", "utf-8")
    assert known_causes(causes) == {"slow thing: time": "LibreOffice lays out every page.",
                                    "fast thing: time": "Never printed while met."}
    figures = [Figure("1. X", "slow thing: time", 9.0, "s", 5.0),
               Figure("1. X", "fast thing: time", 1.0, "s", 5.0)]
    info = {k: "?" for k in ("date", "cpu", "cores", "ram", "os", "python", "libraries",
                             "libreoffice", "node")}
    text = markdown([("latency", figures, 1.0)], info, False, 60.0, "0 0 0", "abc",
                    known_causes(causes))
    missed = text[text.index("## Missed targets"):]
    assert "slow thing: time" in missed and "Cause: LibreOffice lays out every page." in missed
    assert "fast thing" not in missed


def test_every_cause_names_a_figure_the_bench_reports():
    table = (ROOT / "bench" / "RESULTS.md").read_text("utf-8")
    names = set(re.findall(r"^\| ([^|]+?) \|", table, re.M))
    sys.path[:0] = [str(ROOT / "bench")]
    try:
        from run import known_causes
    finally:
        del sys.path[0]
    assert set(known_causes()) <= names, set(known_causes()) - names
