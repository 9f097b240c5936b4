"""PDF conversion: a cold `soffice --convert-to` per document against LibreOffice kept running.

Run: .venv/bin/python bench/bench_convert.py [--documents 10] [--rows 30]
The same rendered award decisions go through each mechanism in the same run; everything is
written to a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_templates import sample_context  # noqa: E402  (the tests' full sample decision)

from docflow.convert.pool import LibreOfficeConverter  # noqa: E402
from docflow.documents.render import Renderer  # noqa: E402

TEMPLATE = "quyet-dinh-bang-khen.docx"


def make_documents(folder: Path, count: int, rows: int) -> list[Path]:
    """`count` award decisions, each with `rows` individuals in its list."""
    renderer = Renderer(ROOT / "templates")
    paths = []
    for n in range(count):
        ctx = sample_context(TEMPLATE)
        ctx["signature"]["name"] = f"Nguyễn Thị Hoà {n + 1}"
        ctx["individual_groups"] = [{"label": "1. Ủy ban nhân dân huyện Đại Từ", "items": [
            {"stt": str(i + 1), "name": f"Ông Nguyễn Văn {i + 1}", "detail": "Chuyên viên",
             "amount": "3.510.000", "summary": ""} for i in range(rows)]}]
        path = folder / f"quyet-dinh-{n + 1:02d}.docx"
        path.write_bytes(renderer.render(TEMPLATE, ctx))
        paths.append(path)
    return paths


def cold(docs: list[Path], work: Path) -> tuple[float, float]:
    """(seconds for the first call on a fresh profile, seconds for all docs one call each)."""
    profile = (work / "cold-profile").as_uri()
    out = work / "cold"

    def run(doc: Path) -> None:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}",
                        "--convert-to", "pdf", "--outdir", str(out), str(doc)],
                       check=True, capture_output=True)

    started = time.perf_counter()
    run(docs[0])
    first = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        run(doc)
    return first, time.perf_counter() - started


def kept(docs: list[Path], work: Path, instances: int) -> tuple[float, float]:
    """(seconds to start the instances, seconds for all docs) with N kept-running instances."""
    out = work / f"kept-{instances}"
    out.mkdir()
    with LibreOfficeConverter(work / f"state-{instances}", instances=instances) as converter:
        started = time.perf_counter()
        _parallel(converter, [(docs[i % len(docs)], out / f"warm-{i}.pdf")
                              for i in range(instances)], instances)
        start = time.perf_counter() - started
        started = time.perf_counter()
        _parallel(converter, [(d, out / f"{d.stem}.pdf") for d in docs], instances)
        return start, time.perf_counter() - started


def _parallel(converter: LibreOfficeConverter, jobs: list[tuple[Path, Path]], threads: int) -> None:
    pending = list(jobs)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not pending:
                    return
                docx, pdf = pending.pop()
            converter.to_pdf(docx, pdf, title=docx.stem)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def main() -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--rows", type=int, default=30, help="individuals in each decision's list")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer-nogui python3-uno")
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        work = Path(tmp)
        docs = make_documents(work, args.documents, args.rows)
        n = len(docs)
        first, cold_total = cold(docs, work)
        rows = [("cold soffice --convert-to, one call per document", first, cold_total)]
        for instances in (1, 2):
            start, total = kept(docs, work, instances)
            rows.append((f"kept running (UNO bridge), {instances} instance(s)", start, total))
    print(f"{n} award decisions, {args.rows} listed individuals each; LibreOffice "
          f"{_office_version()}")
    print(f"{'mechanism':<52} {'start s':>8} {'total s':>8} {'s/doc':>7} {'docs/s':>7}")
    for name, start, total in rows:
        print(f"{name:<52} {start:8.2f} {total:8.2f} {total / n:7.3f} {n / total:7.1f}")
    print("start s: cold = first call on a fresh profile; kept = starting the instances, "
          "paid once per process (and after a restart).")


def _office_version() -> str:
    out = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout
    return " ".join(out.split()[1:2]) or "?"


if __name__ == "__main__":
    main()
