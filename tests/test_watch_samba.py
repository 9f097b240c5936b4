"""Files delivered through a real Samba server (as Windows PCs do) are processed.

The test starts its own `smbd` on a free loopback port with a private config in tmp, needing
root and the samba and smbclient packages (CI installs both; see .ci/run).
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from builders import dn_info, dn_workbook, person
from test_watch_live import finished, open_workspace, service, wait_for

needs_samba = pytest.mark.skipif(
    not (shutil.which("smbd") and shutil.which("smbclient")) or os.geteuid() != 0,
    reason="cần quyền root và các gói samba, smbclient (apt-get install samba smbclient)")
SHIPPED = Path(__file__).resolve().parent.parent / "docs" / "deploy" / "smb.conf"

CONF = """\
[global]
  smb ports = {port}
  interfaces = 127.0.0.1
  bind interfaces only = yes
  server role = standalone server
  server services = smb
  lock directory = {run}/lock
  state directory = {run}/state
  cache directory = {run}/cache
  pid directory = {run}/pid
  private dir = {run}/private
  ncalrpc dir = {run}/ncalrpc
  log file = {run}/log.%m
  passdb backend = tdbsam:{run}/private/passdb.tdb
  map to guest = Bad User
  guest account = root
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
[inbox]
  path = {inbox}
  guest ok = yes
  read only = no
  force user = root
[outbox]
  path = {outbox}
  guest ok = yes
  read only = yes
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def samba(tmp_path):
    """A private smbd serving the workspace's inbox and outbox; yields a function to run
    smbclient commands against a share."""
    ws = open_workspace(tmp_path)
    run, port = tmp_path / "smb", free_port()
    for name in ("lock", "state", "cache", "pid", "private", "ncalrpc"):
        (run / name).mkdir(parents=True)
    conf = run / "smb.conf"
    conf.write_text(CONF.format(port=port, run=run, inbox=ws.inbox, outbox=ws.outbox))
    with (run / "smbd.out").open("wb") as out:
        smbd = subprocess.Popen(["smbd", "--foreground", "--no-process-group", "--debug-stdout",
                                 "-s", str(conf)], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait_for(lambda: _listening(port) or smbd.poll() is not None, 20, "smbd did not start")
        assert smbd.poll() is None, (run / "smbd.out").read_text(errors="replace")

        def client(share: str, commands: str) -> str:
            done = subprocess.run(["smbclient", f"//127.0.0.1/{share}", "-p", str(port), "-N",
                                   "-m", "SMB3", "-c", commands], capture_output=True,
                                  text=True, timeout=30)
            assert done.returncode == 0, done.stdout + done.stderr
            return done.stdout
        yield ws, client
    finally:
        os.killpg(smbd.pid, signal.SIGTERM)     # smbd and the children it forked, nothing else
        try:
            smbd.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(smbd.pid, signal.SIGKILL)
            smbd.wait(10)
        ws.close()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@needs_samba
def test_forms_put_through_samba_are_processed_and_the_receipt_read_back(samba, tmp_path):
    ws, client = samba
    local = dn_workbook(tmp_path / "may-tram" / "de-nghi.xlsx", dn_info("SNV"),
                        [person("Nguyễn Văn An")])
    with service(ws):
        client("inbox", f'mkdir SNV; cd SNV; put "{local}" "de-nghi khen thưởng.xlsx"')
        wait_for(lambda: finished(ws, 1), 30, "the file delivered through Samba was not processed")
        listing = wait_for(lambda: "Phieu-tiep-nhan" in (out := client("outbox", "cd SNV; ls"))
                           and out, 10, "the receipt is not visible through Samba")
    (row,) = ws.ledger.files()
    assert (row.unit, row.name, row.status) == ("SNV", "de-nghi khen thưởng.xlsx", "accepted")
    assert "Phieu-tiep-nhan-de-nghi-khen-thuong" in listing


@needs_samba
def test_an_excel_style_save_through_samba_yields_one_submission(samba, tmp_path):
    ws, client = samba
    local = dn_workbook(tmp_path / "may-tram" / "de-nghi.xlsx", dn_info("SYT"),
                        [person("Lê Văn Cường")])
    owner = tmp_path / "may-tram" / "owner"
    owner.write_bytes(b"Nguyen Van An")
    with service(ws):
        # Excel: an owner file while open, an extension-less temp, then a rename over the name.
        client("inbox", f'mkdir SYT; cd SYT; put "{owner}" "~$de-nghi.xlsx"; '
                        f'put "{local}" 8C2B3D10; rename 8C2B3D10 de-nghi.xlsx; '
                        'del "~$de-nghi.xlsx"')
        wait_for(lambda: finished(ws, 1), 30, "the saved file was not processed")
        time.sleep(1.0)                              # room for a stray temp file to be taken
    assert [(r.name, r.status) for r in ws.ledger.files()] == [("de-nghi.xlsx", "accepted")]
    assert [p.name for p in ws.inbox.rglob("*") if p.is_file()] == []


@pytest.mark.skipif(not shutil.which("testparm"), reason="cần gói samba (testparm)")
def test_the_shipped_share_definition_gives_each_unit_folder_to_its_group_only():
    done = subprocess.run(["testparm", "-s", str(SHIPPED)], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string(done.stdout)
    units = {}
    for name in parser.sections():
        path = Path(parser[name].get("path", ""))
        if path.parent.name in ("inbox", "outbox") and not path.name.startswith("_"):
            units.setdefault(path.name, []).append(parser[name])
    assert set(units) == {"SNV", "SYT"}
    for unit, shares in units.items():
        assert {s.get("valid users") for s in shares} == {f"@thidua-{unit.lower()}"}
        # testparm leaves out Samba's defaults, and "read only = yes" is one.
        assert sorted(s.get("read only", "Yes") for s in shares) == ["No", "Yes"]
