"""5. PDF: docflow's kept-running LibreOffice against a cold `soffice --headless --convert-to pdf`
per document, on the same ~10 rendered award decisions (30 listed people each), in one run.

Reuses bench/bench_convert.py (which still runs alone for its own table): `cold` converts each
document with its own soffice call (after one untimed first call that creates the profile);
`kept` starts N LibreOffice instances through docflow.convert.pool (untimed start, then the same
documents). Run alone: .venv/bin/python bench/pdf.py [--quick]
"""

from __future__ import annotations

from common import Context, Figure, Skip, have_office, loadavg

SECTION = "5. PDF"


def run(ctx: Context) -> list[Figure]:
    if not have_office():
        raise Skip("LibreOffice (soffice) or /usr/bin/python3 with python3-uno not installed")
    import bench_convert as bc

    count = 2 if ctx.quick else 10
    work = ctx.folder("pdf")
    docs = bc.make_documents(work, count, 30)
    first, cold_total = bc.cold(docs, work)
    cold_each = cold_total / count
    figures = [Figure(SECTION, "cold soffice --convert-to, one call per document", cold_each,
                      "s/doc", note=f"{count} documents; the very first call (new profile) took "
                                    f"{first:.2f} s and is not counted")]
    for instances in ((1,) if ctx.quick else (1, 2)):
        start, total = bc.kept(docs, work, instances)
        each = total / count
        figures.append(Figure(
            SECTION, f"docflow, {instances} kept-running LibreOffice", each, "s/doc",
            note=f"{count / total:.1f} documents/s; starting the instance(s) took {start:.2f} s, "
                 f"once per service start; load {loadavg()}"))
        figures.append(Figure(SECTION, f"speed-up of {instances} kept-running over cold",
                              cold_each / each, "×", 5.0, "ge"))
    return figures


if __name__ == "__main__":
    from run import standalone
    standalone("pdf")
