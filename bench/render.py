"""6. Rendering: docflow's Renderer against raw docxtpl and against docxtemplater (Node).

Same run, same data. The data are the real context docflow builds for the Chairman's decision
(docflow.documents.contexts.award_context on nominations from 10 or 100 units, 5 nominees each).

- On the shipped decision template: docflow.documents.render.Renderer (template compiled once and
  cached; sandbox, autoescape, sanitising and re-parsing the output included) against raw
  docxtpl as its documentation shows it, `DocxTemplate(path).render(ctx, jinja_env); save`,
  with docflow's filters in the Jinja environment (the template uses them).
- On an equivalent list template built here with python-docx (a title, then for each unit its
  label and a table with a header row and one row per nominee), written once with docxtpl tags
  and once with docxtemplater tags ({#tables}{label} … {#items}{stt}…{/items} … {/tables}):
  docxtpl, docflow's Renderer and docxtemplater 3 (bench/node/render.js, installed with npm
  into bench/node/ on first use). docxtemplater's time is measured inside Node, after start-up.

Each figure is the median of several renders after one untimed render.
Run alone: .venv/bin/python bench/render.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from common import BENCH, Context, Figure, dn_rows, docx_text, make_workspace, unit_codes

SECTION = "6. Rendering"
NODE = BENCH / "node"
DECISION = "quyet-dinh-bang-khen.docx"


def run(ctx: Context) -> list[Figure]:
    from docflow.config import load

    root = ctx.folder("render")
    config = load(make_workspace(root, units=100))
    reps = 3 if ctx.quick else 10
    figures: list[Figure] = []
    node_ready, node_why = _node(ctx)
    for units in ((10,) if ctx.quick else (10, 100)):
        context = _context(config, units)
        n = units * 5
        ours = _time(lambda: _docflow(root / "templates", DECISION, context), reps)
        raw = _time(lambda: _docxtpl(root / "templates" / DECISION, context), reps)
        last = f"Ông Nguyễn Văn {unit_codes(units)[-1]}-4"
        _check(_docflow(root / "templates", DECISION, context), last, "docflow")
        _check(_docxtpl(root / "templates" / DECISION, context), last, "docxtpl")
        figures += [
            Figure(SECTION, f"decision, {n} nominees: docflow Renderer", ours * 1000, "ms"),
            Figure(SECTION, f"decision, {n} nominees: raw docxtpl", raw * 1000, "ms"),
            Figure(SECTION, f"decision, {n} nominees: docflow ÷ raw docxtpl", ours / raw, "×", 0.5,
                   note=f"median of {reps} renders each"),
        ]
        # The equivalent list template, three engines.
        tables = context["individual_tables"] + context["collective_tables"]
        data = {"title": "DANH SÁCH", "tables": tables}
        jinja, mustache = _list_templates(root / f"list-{units}")
        t_docxtpl = _time(lambda: _docxtpl(jinja, data), reps)
        t_ours = _time(lambda: _docflow(jinja.parent, jinja.name, data), reps)
        _check(_docxtpl(jinja, data), last, "docxtpl (list)")
        _check(_docflow(jinja.parent, jinja.name, data), last, "docflow (list)")
        figures += [
            Figure(SECTION, f"list template, {n} rows: raw docxtpl", t_docxtpl * 1000, "ms"),
            Figure(SECTION, f"list template, {n} rows: docflow Renderer", t_ours * 1000, "ms"),
        ]
        if node_ready:
            try:
                t_node, startup = _docxtemplater(mustache, data, root / f"list-{units}", reps, last)
                figures += [
                    Figure(SECTION, f"list template, {n} rows: docxtemplater (Node)",
                           t_node * 1000, "ms", note=f"inside Node; starting Node and loading "
                                                     f"docxtemplater costs {startup:.0f} ms per "
                                                     "process on top"),
                    Figure(SECTION, f"list template, {n} rows: docflow ÷ docxtemplater",
                           t_ours / t_node, "×"),
                ]
            except Exception as exc:
                figures.append(Figure(SECTION, f"list template, {n} rows: docxtemplater (Node)",
                                      None, "ms", note=f"failed: {exc}"))
        else:
            figures.append(Figure(SECTION, f"list template, {n} rows: docxtemplater (Node)",
                                  None, "ms", note=node_why))
    return figures


def _context(config, units: int) -> dict:
    from docflow.validation.awards import nominations
    from docflow.models import Record
    from docflow.documents.contexts import award_context

    records = [Record("DN", code, "", {}, {"Danh sách": dn_rows(code, 5, chairman=5)})
               for code in unit_codes(units)]
    award = next(a for a in config.awards if a.decider == "chairman")
    return award_context(config, award, nominations(records, config), dt.date(2025, 12, 1),
                         "quyet_dinh_bang_khen")


_RENDERERS: dict = {}


def _docflow(folder: Path, name: str, context: dict) -> bytes:
    from docflow.documents.render import Renderer

    renderer = _RENDERERS.setdefault(folder, Renderer(folder))
    return renderer.render(name, context)


def _docxtpl(path: Path, context: dict) -> bytes:
    from docxtpl import DocxTemplate

    from docflow.documents.render import environment

    tpl = DocxTemplate(str(path))
    tpl.render(context, jinja_env=environment())
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _time(fn, reps: int) -> float:
    fn()  # untimed: compiles and caches what a long-running service keeps
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _check(data: bytes, name: str, who: str) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    if name not in xml:
        raise RuntimeError(f"{who}: the rendered document lacks {name!r}")


def _list_templates(folder: Path) -> tuple[Path, Path]:
    """The same list document twice: docxtpl (Jinja) tags and docxtemplater tags."""
    from docx import Document
    from docx.shared import Pt

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for flavour in ("jinja", "mustache"):
        j = flavour == "jinja"
        doc = Document()
        doc.styles["Normal"].font.name = "Times New Roman"
        doc.styles["Normal"].font.size = Pt(13)
        doc.add_paragraph("{{ title }}" if j else "{title}")
        doc.add_paragraph("{%p for t in tables %}" if j else "{#tables}")
        doc.add_paragraph("{{ t.label }}" if j else "{label}")
        table = doc.add_table(rows=4 if j else 2, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("STT", "Họ và tên", "Chức vụ, đơn vị công tác",
                                                    "Số tiền thưởng (đồng)")):
            cell.text = text
        fields = ("stt", "name", "detail", "amount")
        if j:
            table.rows[1].cells[0].text = "{%tr for i in t['items'] %}"
            for cell, key in zip(table.rows[2].cells, fields):
                cell.text = f"{{{{ i.{key} }}}}"
            table.rows[3].cells[0].text = "{%tr endfor %}"
        else:
            cells = table.rows[1].cells
            for n, (cell, key) in enumerate(zip(cells, fields)):
                cell.text = ("{#items}" if n == 0 else "") + f"{{{key}}}" + \
                            ("{/items}" if n == len(fields) - 1 else "")
        doc.add_paragraph("{%p endfor %}" if j else "{/tables}")
        path = folder / f"danh-sach-{flavour}.docx"
        doc.save(str(path))
        made.append(path)
    return made[0], made[1]


def _node(ctx: Context) -> tuple[bool, str]:
    """docxtemplater installed in bench/node/ (npm install on first use); (ready, why not)."""
    if shutil.which("node") is None:
        return False, "node is not installed"
    if (NODE / "node_modules" / "docxtemplater").is_dir() and (NODE / "node_modules" / "pizzip").is_dir():
        return True, ""
    npm = shutil.which("npm")
    if npm is None:
        return False, "npm is not installed"
    command = [npm, "ci" if (NODE / "package-lock.json").exists() else "install",
               "--no-audit", "--no-fund"]
    ctx.log(f"  render: {' '.join(command[1:])} in bench/node/")
    try:
        done = subprocess.run(command, cwd=NODE, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return False, "npm install did not finish in 300 s (no access to the npm registry?)"
    if done.returncode != 0:
        return False, f"npm install failed: {(done.stderr or done.stdout).strip()[-400:]}"
    return True, ""


def _docxtemplater(template: Path, data: dict, folder: Path, reps: int,
                   last: str) -> tuple[float, float]:
    data_path = folder / "data.json"
    data_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = folder / "docxtemplater.docx"
    done = subprocess.run(["node", str(NODE / "render.js"), str(template), str(data_path),
                           str(out), str(reps + 1)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-600:])
    got = json.loads(done.stdout.strip().splitlines()[-1])
    if last not in docx_text(out):
        raise RuntimeError(f"docxtemplater output lacks {last!r}")
    times = got["times_ms"][1:]  # the first render warms V8 up, as docflow's first does
    return statistics.median(times) / 1000, got["uptime_ms"] - sum(got["times_ms"])


if __name__ == "__main__":
    from run import standalone
    standalone("render")
