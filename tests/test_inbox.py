"""Which files in the inbox are submissions, and which are litter that is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docflow.store.inbox import is_candidate, is_ignored, unit_of, waiting

INBOX = Path("/srv/inbox")


@pytest.mark.parametrize("name", [
    "~$de-nghi.xlsx",            # Excel/Word owner file while the document is open
    "~WRL0001.tmp",              # Word's temporary copy
    "~DF1234.tmp",               # Office scratch file
    ".~lock.de-nghi.xlsx#",      # LibreOffice lock
    "Thumbs.db", "THUMBS.DB", "ehthumbs.db",
    "desktop.ini", "Desktop.ini",
    ".DS_Store", "._de-nghi.xlsx",   # macOS metadata and AppleDouble files on a share
    "de-nghi.xlsx.part", "de-nghi.xlsx.partial", "de-nghi.xlsx.crdownload",
    "x.tmp", "X.TMP", "x.temp",
    ".an-file.xlsx", ".docflow-canary-1a2b3c4d",   # hidden files
    "8C2B3D10", "a1b2c3d4",      # Excel's extension-less temp when saving on a share
    "README.md",
])
def test_lock_temp_hidden_and_system_files_are_ignored(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", [
    "de-nghi.xlsx", "Đề nghị khen thưởng.xlsx", "bao-cao.docx", "DE-NGHI.XLSX",
    "tmp.xlsx", "part-2.xlsx", "8C2B3D10.xlsx", "8C2B3D1", "thumbs.xlsx", "~de-nghi.xlsx",
])
def test_ordinary_submissions_are_not_ignored(name):
    assert not is_ignored(name)


@pytest.mark.parametrize("relative, expected", [
    ("de-nghi.xlsx", True),                  # the root: answered to the administrator
    ("SNV/de-nghi.xlsx", True),
    ("SNV/cu/de-nghi.xlsx", False),          # deeper than a unit folder
    ("_quan-tri/de-nghi.xlsx", False),       # docflow's own folders
    (".recycle/de-nghi.xlsx", False),        # Samba's recycle bin
    ("$RECYCLE.BIN/de-nghi.xlsx", False),
    ("SNV/~$de-nghi.xlsx", False),
])
def test_candidates_are_files_in_the_root_or_a_unit_folder(relative, expected):
    assert is_candidate(INBOX / relative, INBOX) is expected


def test_a_path_outside_the_inbox_is_no_candidate():
    assert not is_candidate(Path("/srv/state/work/SNV/x.xlsx"), INBOX)


def test_unit_of_is_the_folder_name_in_nfc():
    assert unit_of(INBOX / "SNV" / "a.xlsx", INBOX) == "SNV"
    assert unit_of(INBOX / "a.xlsx", INBOX) == ""
    assert unit_of(INBOX / "Pho\u0300ng" / "a.xlsx", INBOX) == "Phòng"


def test_waiting_lists_root_and_unit_files_oldest_first_and_skips_the_rest(tmp_path):
    files = {"SNV/b.xlsx": 300, "a.xlsx": 200, "SYT/c.xlsx": 100, "SNV/~$b.xlsx": 50,
             "SNV/cu/old.xlsx": 10, "_quan-tri/x.txt": 10, ".recycle/d.xlsx": 10,
             "SNV/Thumbs.db": 10}
    for relative, mtime in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        os.utime(path, (mtime, mtime))
    assert [p.relative_to(tmp_path).as_posix() for p in waiting(tmp_path)] == [
        "SYT/c.xlsx", "a.xlsx", "SNV/b.xlsx"]


def test_waiting_on_a_missing_inbox_is_empty(tmp_path):
    assert waiting(tmp_path / "khong-co") == []
