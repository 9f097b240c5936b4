"""Render every shipped template with sample data to a PNG of its first page, for the README.

Run: .venv/bin/python tools/render_previews.py   (needs LibreOffice and poppler-utils)
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from docflow.documents.checks import _sample_contexts
from docflow.config import load
from docflow.documents.render import Renderer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"


def main() -> None:
    """Write docs/images/<template>.png (first page) for each template."""
    config = load(ROOT / "config.toml")
    renderer = Renderer(config.path("templates"))
    OUT.mkdir(parents=True, exist_ok=True)
    now = dt.datetime(2025, 12, 10, 9, 30)
    with tempfile.TemporaryDirectory() as tmp:
        for template, context in _sample_contexts(config, now):
            docx = Path(tmp) / template
            docx.write_bytes(renderer.render(template, context))
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/p",
                            "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                           check=True, capture_output=True, timeout=120)
            png = OUT / docx.stem
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                            "-singlefile", str(docx.with_suffix(".pdf")), str(png)], check=True)
            print(f"{png}.png")


if __name__ == "__main__":
    main()
