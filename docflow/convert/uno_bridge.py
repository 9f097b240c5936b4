"""One LibreOffice kept running, driven over UNO; started by libreoffice.py under the system Python.

This file runs as a script under `/usr/bin/python3 -I` (Debian's `python3-uno` exists only there,
not in docflow's virtual environment), so it imports nothing but the standard library and `uno`.
Protocol, one JSON object per line: it prints {"ready": true} once LibreOffice answers (or
{"error": ...} and exits); then for each request {"docx", "pdf", "title", "author"} read from
stdin it prints {"ok": true}, {"error": ...} for a document LibreOffice refuses, or
{"crash": ...} and exits when LibreOffice itself has gone. {"quit": true} or the end of stdin
shuts LibreOffice down.
"""

import argparse
import contextlib
import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# PDF export of Writer; LibreOffice embeds (subsets of) every font it uses.
FILTER = "writer_pdf_Export"


def props(**values):
    """A tuple of UNO PropertyValues, the way UNO methods take named arguments."""
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def start_office(soffice, profile, pipe):
    """Start `soffice`, not soffice.bin: the wrapper restarts after exit code 81 (new profile)."""
    cmd = [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
           "--nofirststartwizard", "--norestore", "--nolockcheck",
           "-env:UserInstallation=" + Path(profile).resolve().as_uri(),
           f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def connect(office, pipe, deadline):
    """The Desktop of the started office, retrying until it listens or `deadline` passes."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            ctx = resolver.resolve(url)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if office.poll() is not None:
                raise RuntimeError(f"LibreOffice thoát với mã {office.returncode} khi khởi động") \
                    from None
            if time.monotonic() > deadline:
                raise RuntimeError("LibreOffice không trả lời kịp khi khởi động") from None
            time.sleep(0.1)


def convert(desktop, request):
    """Load the docx hidden, set title and author, export it as PDF, close it."""
    url = Path(request["docx"]).resolve().as_uri()
    # No macro runs and no link is updated, whatever the template or a unit's text holds:
    # MacroExecutionMode 0 = NEVER_EXECUTE, UpdateDocMode 0 = NO_UPDATE.
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props(
        Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0))
    if doc is None:
        raise RuntimeError(f"LibreOffice không mở được tệp {Path(request['docx']).name}")
    try:
        info = doc.getDocumentProperties()
        info.Title = request.get("title", "")
        info.Author = request.get("author", "")
        doc.storeToURL(Path(request["pdf"]).resolve().as_uri(), props(FilterName=FILTER))
    finally:
        doc.close(True)


def alive(desktop):
    """True while the office still answers calls."""
    try:
        desktop.getComponents()
        return True
    except Exception:  # noqa: BLE001 - DisposedException and bridge errors alike mean "gone"
        return False


def reply(**message):
    """One JSON line to the parent, flushed at once: it waits on it."""
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--start-seconds", type=float, default=60.0)
    args = parser.parse_args()
    pipe = f"docflow-{uuid.uuid4().hex}"
    office = start_office(args.soffice, args.profile, pipe)
    try:
        desktop = connect(office, pipe, time.monotonic() + args.start_seconds)
    except Exception as exc:  # noqa: BLE001 - the parent only needs the reason as text
        reply(error=str(exc))
        office.kill()
        return 1
    reply(ready=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        try:
            convert(desktop, request)
        except Exception as exc:  # noqa: BLE001 - any UNO fault is reported as text
            reason = f"{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"
            if not alive(desktop):
                # A crashed office answers every later call with an error: let the parent restart.
                reply(crash=reason)
                office.kill()
                return 3
            reply(error=reason)
        else:
            reply(ok=True)
    with contextlib.suppress(Exception):  # the office may be gone already; killed below anyway
        desktop.terminate()
    try:
        office.wait(10)
    except subprocess.TimeoutExpired:
        office.kill()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
