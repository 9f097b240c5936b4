"""The README and docs a newcomer reads: every link stays in the repository and leads to a
file, every form and example it names is shipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")),
        ROOT / "templates" / "README.md"]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_in_the_repository_and_leads_to_a_file(doc):
    for target in LINK.findall(doc.read_text("utf-8")):
        assert not re.match(r"[a-z]+:", target), f"{doc.name}: {target} leads outside"
        path = (doc.parent / target).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name}: {target} leads outside the repository"
        assert path.exists(), f"{doc.name}: {target} does not exist"


def test_every_form_and_example_the_readme_names_is_shipped():
    text = (ROOT / "README.md").read_text("utf-8")
    named = set(re.findall(r"(?:templates/forms|examples)/[\w.-]+\.(?:xlsx|docx)", text))
    assert "templates/forms/BC-Bao-cao-ket-qua.docx" in named
    assert any(n.startswith("examples/") for n in named), "the README names the example files"
    missing = [n for n in named if not (ROOT / n).is_file()]
    assert missing == []
    for example in (ROOT / "examples").iterdir():
        assert f"examples/{example.name}" in text, f"the README does not name {example.name}"


def test_the_windows_guides_output_settings_load_into_the_sample_config():
    import tomllib

    from builders import DATA
    from docflow.config import parse

    guide = (ROOT / "docs" / "deploy" / "windows-service.md").read_text("utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", guide, re.S)
    output = tomllib.loads(block)["output"]
    raw = tomllib.loads((DATA / "config.toml").read_text("utf-8"))
    raw["output"].update(output)
    config = parse(raw, DATA)
    assert config.output.uno_python == r"C:\Program Files\LibreOffice\program\python.exe"
    assert config.output.soffice.endswith(r"\program\soffice.exe") and config.output.pdf
