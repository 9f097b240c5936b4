"""7. Intake: a 50,000-row DN workbook read (docflow.forms.read.read_form) and validated
(docflow.validation.validate.validate) in a fresh child process; wall time and peak memory.

Memory is the child's peak RSS (VmHWM) above its RSS once docflow, openpyxl and the config are
loaded, i.e. what reading and validating the file cost; the absolute peak is in the note. The
workbook is written by openpyxl (write-only mode) as a real one would be: shared strings, dates
as numbers with a date format. Run alone: .venv/bin/python bench/intake.py [--quick]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from common import (PYTHON, Context, Figure, dn_rows, loadavg, make_workspace,
                    write_dn_excel_like)

SECTION = "7. Intake"
UNIT = "DV001"


def run(ctx: Context) -> list[Figure]:
    rows = 2000 if ctx.quick else 50_000
    root = ctx.folder("intake")
    config = make_workspace(root, units=3, quotas=False)
    started = time.perf_counter()
    xlsx = write_dn_excel_like(root / "stage" / "dn-50000.xlsx", UNIT,
                              _rows(rows))
    ctx.log(f"  intake: wrote {rows} rows ({xlsx.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s")
    proc = subprocess.run([PYTHON, __file__, "--child", str(config), str(xlsx)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed: {proc.stderr[-1500:]}")
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    if got["rows"] != rows:
        raise RuntimeError(f"read {got['rows']} rows of {rows}")
    total = got["read"] + got["validate"]
    ctx.log(f"  intake: read {got['read']:.1f} s, validate {got['validate']:.1f} s, "
            f"peak +{got['peak'] - got['base']:.0f} MB")
    return [
        Figure(SECTION, f"{rows:,} rows: read + validate", total, "s", 4.0,
               note=f"read_form {got['read']:.2f} s ({'streamed, read_only' if got['streamed'] else 'loaded whole'}), "
                    f"validate {got['validate']:.2f} s; {got['problems']} problems found; "
                    f"file {xlsx.stat().st_size / 1e6:.1f} MB; load {loadavg()}"),
        Figure(SECTION, f"{rows:,} rows: peak memory above the loaded interpreter",
               got["peak"] - got["base"], "MB", 100.0,
               note=f"VmHWM {got['peak']:.0f} MB against {got['base']:.0f} MB after imports "
                    f"and config (peak-reset {'worked' if got['reset'] else 'not available'}); "
                    f"after read_form alone {got['after_read']:.0f} MB"),
    ] + _calamine(xlsx, rows, got)


def _calamine(xlsx: Path, rows: int, got: dict) -> list[Figure]:
    """What a Rust reader (python-calamine, if installed) takes for the same sheet's values."""
    proc = subprocess.run([PYTHON, __file__, "--calamine", str(xlsx)], capture_output=True,
                          text=True, timeout=300)
    name = f"{rows:,} rows: python-calamine reading the same sheet (values only)"
    if proc.returncode != 0:
        why = "not installed (pip install python-calamine)" if "ModuleNotFoundError" in \
            proc.stderr else proc.stderr.strip()[-300:]
        return [Figure(SECTION, name, None, "s", note=why)]
    seconds, peak = json.loads(proc.stdout.strip().splitlines()[-1])
    return [Figure(SECTION, name, seconds, "s",
                   note=f"read_form takes {got['read'] / seconds:.1f}× this (it also finds the "
                        "columns by their labels, skips blank rows and looks for uncalculated "
                        "formulas); "
                        f"peak {peak:.0f} MB above the interpreter; it reads what validate needs "
                        "(values, dates, cell positions by index), not merged cells")]


def calamine(xlsx: str) -> None:
    from python_calamine import CalamineWorkbook

    from common import current_rss_mb, reset_hwm, vm_hwm_mb

    reset_hwm()
    base = current_rss_mb()
    started = time.perf_counter()
    sheet = CalamineWorkbook.from_path(xlsx).get_sheet_by_name("Danh sách").to_python()
    seconds = time.perf_counter() - started
    assert len(sheet) > 1
    print(json.dumps([seconds, vm_hwm_mb() - base]))


def _rows(n: int):
    """Valid rows, for the Chairman's Bằng khen and the unit's Giấy khen (quotas off)."""
    block = dn_rows("I", 1000, chairman=300)
    for i in range(n):
        row = dict(block[i % 1000])
        row["name"] = f"{row['name'].rsplit('-', 1)[0]}-{i + 1}"
        yield row


def child(config_path: str, xlsx: str) -> None:
    from docflow.config import load
    from docflow.forms.read import read_form
    from docflow.validation.validate import validate
    from docflow.forms import read_xlsx

    from common import current_rss_mb, reset_hwm, vm_hwm_mb

    config = load(config_path)
    reset = reset_hwm()
    base = current_rss_mb()
    started = time.perf_counter()
    sub = read_form(Path(xlsx), UNIT, config.forms, config.intake)
    read = time.perf_counter() - started
    after_read = vm_hwm_mb()
    started = time.perf_counter()
    result = validate(sub, config.forms[sub.kind], config, [])
    validate_s = time.perf_counter() - started
    rows = sum(len(t) for t in sub.tables.values())
    print(json.dumps({"read": read, "validate": validate_s, "base": base, "peak": vm_hwm_mb(),
                      "after_read": after_read, "rows": rows, "problems": len(result.problems),
                      "reset": reset,
                      "streamed": Path(xlsx).stat().st_size > getattr(read_xlsx, "STREAM_BYTES", 0)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        child(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--calamine"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        calamine(sys.argv[2])
    else:
        from run import standalone
        standalone("intake")
