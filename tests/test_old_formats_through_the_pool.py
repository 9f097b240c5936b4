"""Every use of LibreOffice goes through convert/: an old-format upload is saved as .xlsx by the
kept-running pool, and the configured `soffice` and intake limits hold for it too."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
from builders import dn_info, dn_workbook, person, workspace

from docflow.config import load
from docflow.convert import LibreOfficeConverter
from docflow.errors import IntakeError
from docflow.forms import read_form


@pytest.fixture(scope="module")
def ods(tmp_path_factory):
    """A nomination saved by LibreOffice as .ods, the way a unit on LibreOffice sends it."""
    tmp = tmp_path_factory.mktemp("ods")
    source = dn_workbook(tmp / "de-nghi.xlsx", dn_info("SNV"), [person("Nguyễn Văn An")])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/p",
                    "--convert-to", "ods", "--outdir", str(tmp / "old"), str(source)],
                   check=True, capture_output=True, timeout=120)
    return (tmp / "old" / "de-nghi.ods").read_bytes()


def test_an_old_format_is_converted_by_the_kept_running_libreoffice(tmp_path, ods):
    config = load(workspace(tmp_path))
    upload = tmp_path / "work" / "de-nghi.ods"
    upload.parent.mkdir()
    upload.write_bytes(ods)
    with LibreOfficeConverter(tmp_path / "lo", instances=1) as converter:
        # A configured path that does not exist proves the one-off `soffice` was not used.
        sub = read_form(upload, "SNV", config.forms, config.intake, converter,
                        soffice="/khong-co/soffice")
    assert sub.kind == "DN" and sub.file_name == "de-nghi.ods"
    assert sub.tables["Danh sách"][0].values["name"].value == "Nguyễn Văn An"
    assert "đã được chuyển sang .xlsx" in sub.notes[0]
    assert upload.read_bytes() == ods                      # the original stays as received


def test_without_a_pool_the_configured_soffice_path_is_the_one_used(tmp_path, ods):
    config = load(workspace(tmp_path))
    upload = tmp_path / "de-nghi.ods"
    upload.write_bytes(ods)
    with pytest.raises(IntakeError) as err:
        read_form(upload, "SNV", config.forms, config.intake, None, soffice="/khong-co/soffice")
    assert err.value.code == "intake.no_converter"
    assert "chưa cài LibreOffice" in err.value.message_vi


def test_the_intake_limits_hold_for_the_converted_copy_too(tmp_path, ods):
    config = load(workspace(tmp_path))
    tight = replace(config.intake, max_zip_entries=3)     # an .xlsx has more parts than this
    upload = tmp_path / "de-nghi.ods"
    upload.write_bytes(ods)
    with pytest.raises(IntakeError) as err:
        read_form(upload, "SNV", config.forms, tight, None, soffice="soffice")
    assert err.value.code == "intake.too_big" and "3 phần" in err.value.message_vi
