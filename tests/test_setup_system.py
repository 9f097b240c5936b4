"""tools/setup-system.sh on a machine where packages are missing and nobody may install them:
it names the one command to run and stops `make`; with everything installed it says nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "setup-system.sh"


def fake_bin(tmp_path: Path, installed: bool) -> dict[str, str]:
    """A PATH where dpkg-query says every package is (or is not) installed, the user is not
    root and sudo asks for a password it cannot get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    status = "install ok installed" if installed else "unknown ok not-installed"
    tools = {"dpkg-query": f"echo '{status}'", "apt-get": "echo apt-get must not run; exit 9",
             "id": "echo 1000", "sudo": "exit 1"}
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")


def test_missing_packages_without_rights_print_the_one_command_and_exit_1(tmp_path):
    result = subprocess.run(["sh", str(SCRIPT), "watch"], env=fake_bin(tmp_path, False),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "docflow: máy còn thiếu các gói hệ thống: python3-venv libreoffice-writer-nogui" \
        in result.stdout
    assert "Hãy chạy lệnh sau (cần quyền quản trị) rồi chạy lại lệnh make:" in result.stdout
    assert "    sudo apt-get update && sudo apt-get install -y --no-install-recommends " \
           "python3-venv libreoffice-writer-nogui libreoffice-calc-nogui python3-uno " \
           "fonts-liberation2 fonts-liberation fonts-dejavu-core poppler-utils libjemalloc2\n" \
        in result.stdout


def test_the_tests_also_need_what_they_start(tmp_path):
    result = subprocess.run(["sh", str(SCRIPT), "test"], env=fake_bin(tmp_path, False),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "samba smbclient redis-server postgresql" in result.stdout


def test_nothing_missing_means_nothing_printed_and_exit_0(tmp_path):
    result = subprocess.run(["sh", str(SCRIPT), "test"], env=fake_bin(tmp_path, True),
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_watch_and_make_test_run_it_first():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "watch: system-watch $(STAMP)" in makefile and "test: system-test $(STAMP)" in makefile
    assert "sh tools/setup-system.sh watch" in makefile and "sh tools/setup-system.sh test" in makefile
