"""One claimer of tests/test_several_claimers.py, run as its own process: it lists the inbox,
waits for the start signal, claims every file it can and writes down which ones it got."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from docflow.config import load
from docflow.pipeline import claim_inbox_file
from docflow.store import waiting
from docflow.workspace import Workspace


def main(config: str, start: str, out: str) -> None:
    ws = Workspace.open(load(Path(config)), converter=None)
    files = waiting(ws.inbox)
    Path(out + ".ready").touch()
    while not Path(start).exists():
        time.sleep(0.005)
    got = []
    for path in files:
        try:
            work, _ = claim_inbox_file(path, ws)
        except FileNotFoundError:  # the other claimer has it
            continue
        got.append([path.relative_to(ws.inbox).as_posix(), str(work)])
    Path(out).write_text(json.dumps(got), "utf-8")
    ws.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
