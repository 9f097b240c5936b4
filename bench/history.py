"""8. History: a 10,000-row award history workbook (LS) loaded into the office's register.

The whole path a unit's file takes, timed in a fresh child process: read_form (openpyxl),
validate, then every row matched and written into an empty register (one SQLite transaction),
and the same file loaded a second time (every row already there: the matching cost alone).
The workbook has 2,500 people × 4 years across the registry's units, some names written with
the old tone placement, some in a unit renamed since (STTTT → SKHCN).
Run alone: .venv/bin/python bench/history.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, Context, Figure, loadavg, make_workspace

SECTION = "8. History"
UNIT = "SNV"
GIVEN = ["An", "Bình", "Thuỷ", "Hoà", "Dũng", "Hương", "Khánh", "Lan", "Minh", "Nga"]
FAMILY = ["Nguyễn Thị", "Trần Văn", "Lê Thị", "Phạm Văn", "Hoàng Thị"]
WORKPLACES = ["Phòng Tổ chức, Sở Nội vụ", "Sở Y tế", "Sở Tài chính", "Sở Thông tin và Truyền thông",
              "Sở Giáo dục và Đào tạo", "Ủy ban nhân dân huyện Đại Từ"]
TITLES = ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cơ sở",
          "Bằng khen của Chủ tịch UBND tỉnh"]


def run(ctx: Context) -> list[Figure]:
    rows = 1000 if ctx.quick else 10_000
    root = ctx.folder("history")
    config = make_workspace(root, units=3, quotas=False)
    xlsx = write_history(root / "stage" / f"ls-{rows}.xlsx", rows)
    proc = subprocess.run([PYTHON, __file__, "--child", str(config), str(xlsx)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed: {proc.stderr[-1500:]}")
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    if got["rows"] != rows or got["errors"]:
        raise RuntimeError(f"read {got['rows']} rows of {rows}, {got['errors']} errors")
    total = got["read"] + got["validate"] + got["load"]
    ctx.log(f"  history: read {got['read']:.1f} s, validate {got['validate']:.1f} s, "
            f"register {got['load']:.1f} s")
    return [
        Figure(SECTION, f"{rows:,} rows: read + validate + into the register", total, "s", 5.0,
               note=f"read_form {got['read']:.2f} s, validate {got['validate']:.2f} s, register "
                    f"{got['load']:.2f} s ({got['counts']}); file "
                    f"{xlsx.stat().st_size / 1e6:.1f} MB; load {loadavg()}"),
        Figure(SECTION, f"{rows:,} rows loaded again (all already in the register)",
               got["again"], "s", note=f"{got['again_counts']}"),
    ]


def write_history(path: Path, n: int) -> Path:
    """An LS workbook of `n` rows written as Excel would (write-only openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Sổ khen thưởng")
    sheet.append(["STT", "Loại", "Họ và tên / Tên tập thể", "Ngày sinh", "Đơn vị công tác",
                  "Danh hiệu / Hình thức", "Năm", "Số quyết định", "Ngày quyết định",
                  "Cơ quan quyết định"])
    for i in range(n):
        who, year = divmod(i, 4)
        name = f"{FAMILY[who % 5]} {GIVEN[who // 5 % 10]} {who // 50 + 1:04d}"
        if year == 1 and who % 7 == 0:
            name = name.replace("Thuỷ", "Thủy").replace("Hoà", "Hòa")
        workplace = WORKPLACES[who % len(WORKPLACES)]
        if workplace.startswith("Sở Thông tin") and year >= 2:
            workplace = "Sở Khoa học và Công nghệ"
        born = dt.date(1970 + who % 30, 1 + who % 12, 1 + who % 28)
        sheet.append([i + 1, "Cá nhân", name, born, workplace, TITLES[year], 2021 + year,
                      f"{100 + i}/QĐ-UBND", dt.date(2021 + year, 12, 20), "UBND tỉnh"])
    meta = wb.create_sheet("_docflow")
    meta.append(["LS"])
    meta.append([1])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def child(config_path: str, xlsx: str) -> None:
    from docflow.config import load
    from docflow.forms.read import read_form
    from docflow.history import Register, load_record
    from docflow.validation.validate import validate

    config = load(config_path)
    started = time.perf_counter()
    sub = read_form(Path(xlsx), UNIT, config.forms, config.intake)
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = validate(sub, config.forms[sub.kind], config, [])
    validate_s = time.perf_counter() - started
    register = Register(Path(config_path).parent / "bench-register.sqlite3", config)
    started = time.perf_counter()
    counts = load_record(register, result.record, config, "bench")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    again = load_record(register, result.record, config, "bench")
    again_s = time.perf_counter() - started
    print(json.dumps({"read": read, "validate": validate_s, "load": load_s, "again": again_s,
                      "rows": sum(len(t) for t in sub.tables.values()),
                      "errors": len(result.errors), "counts": _counts(counts),
                      "again_counts": _counts(again)}))


def _counts(c) -> str:
    return f"{c.added} added, {c.matched} matched, {c.known} already there, {c.pending} to confirm"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        child(sys.argv[2], sys.argv[3])
    else:
        from run import standalone
        standalone("history")
