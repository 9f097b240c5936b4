"""Events where they work, polling where they do not: decided per folder at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from watchdog.observers.api import BaseObserver, EventEmitter

from docflow.watch.probe import canary, choose, fs_type, is_network, probe, watched_roots

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/thidua /srv/share cifs rw,vers=3.0 0 0
nas:/export /mnt/nas nfs4 rw 0 0
sshfs#u@h: /mnt/ssh fuse.sshfs rw 0 0
//fileserver/o\\040mang /mnt/o\\040mang smb3 rw 0 0
tmpfs /srv/share/local tmpfs rw 0 0
"""


class DeafEmitter(EventEmitter):
    """An emitter that never reports anything, as on a share written by other machines."""

    def queue_events(self, timeout: float) -> None:
        self.stopped_event.wait(timeout)


class DeafObserver(BaseObserver):
    def __init__(self, timeout: float = 1.0) -> None:
        super().__init__(DeafEmitter, timeout=timeout)


def no_observer():
    raise AssertionError("the canary must not run here")


@pytest.mark.parametrize("path, expected", [
    ("/srv/share/SNV", "cifs"),
    ("/srv/share", "cifs"),
    ("/srv/shared", "ext4"),                 # a prefix of the name is not a parent folder
    ("/srv/share/local/x", "tmpfs"),         # the longest mount point wins
    ("/mnt/nas/inbox", "nfs4"),
    ("/mnt/ssh", "fuse.sshfs"),
    ("/mnt/o mang/inbox", "smb3"),           # /proc/mounts escapes spaces as \040
    ("/home/x", "ext4"),
])
def test_the_filesystem_type_comes_from_the_longest_mount_point(path, expected):
    assert fs_type(Path(path), MOUNTS) == expected


def test_without_proc_mounts_the_type_is_unknown():
    assert fs_type(Path("/srv/inbox"), "") == ""


@pytest.mark.parametrize("fstype, path, expected", [
    ("cifs", "/srv/share", True), ("smb3", "/x", True), ("nfs4", "/x", True),
    ("fuse.sshfs", "/x", True), ("fuse", "/x", True), ("9p", "/mnt/c", True),
    ("ext4", "/x", False), ("tmpfs", "/x", False), ("", "/x", False),
    ("", "\\\\fileserver\\thidua", True),
])
def test_network_filesystems_and_unc_paths_are_recognised(fstype, path, expected):
    assert is_network(fstype, Path(path)) is expected


def test_choice_follows_the_setting_then_the_filesystem_then_the_canary():
    assert choose("polling", "ext4", False, None)[0] == "polling"
    assert choose("native", "cifs", True, None)[0] == "native"
    mode, reason = choose("auto", "cifs", True, None)
    assert mode == "polling" and "ổ mạng (cifs)" in reason
    assert choose("auto", "ext4", False, True)[0] == "native"
    mode, reason = choose("auto", "overlay", False, False)
    assert mode == "polling" and "tệp thử không báo sự kiện" in reason


def test_a_local_folder_whose_canary_is_heard_is_watched_by_events(tmp_path):
    found = probe(tmp_path, "auto", 5.0)
    assert found.mode == "native"
    assert list(tmp_path.iterdir()) == []      # the canary is cleaned up


def test_a_folder_whose_events_are_swallowed_is_polled(tmp_path):
    found = probe(tmp_path, "auto", 0.3, observer_factory=DeafObserver)
    assert found.mode == "polling" and "tệp thử" in found.reason
    assert list(tmp_path.iterdir()) == []


def test_a_network_mount_is_polled_without_a_canary(tmp_path):
    mounts = f"//fs/share {tmp_path} cifs rw 0 0\n"
    found = probe(tmp_path, "auto", 5.0, mounts=mounts, observer_factory=no_observer)
    assert (found.mode, found.fstype) == ("polling", "cifs")


def test_a_forced_mode_skips_the_canary(tmp_path):
    assert probe(tmp_path, "native", 5.0, observer_factory=no_observer).mode == "native"
    assert probe(tmp_path, "polling", 5.0, observer_factory=no_observer).mode == "polling"


def test_an_unwritable_folder_fails_the_canary(tmp_path):
    assert not canary(tmp_path / "khong-co", 0.3)


def test_unit_folders_linked_from_elsewhere_are_probed_on_their_own(tmp_path):
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "mnt" / "syt"
    (inbox / "SNV").mkdir(parents=True)
    elsewhere.mkdir(parents=True)
    (inbox / "SYT").symlink_to(elsewhere)
    assert watched_roots(inbox) == [inbox, inbox / "SYT"]
