"""A `docflow worker` follows the config and templates the watcher accepted.

The watcher's reloader checks every change of config.toml and the Word templates once (the
same checks for every engine), keeps the accepted config.toml text in state/config/ and the
templates in a snapshot in state/templates/, and names both in each job it sends
("<copy>/<snapshot>"). Before a job a worker compares that name with its own (a string, nothing
read); a new one is read from the shared state folder, so every worker on every machine runs
exactly the version the watcher took, never a config.toml saved since or refused.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import replace

from docflow.config import Config, parse
from docflow.documents import Renderer
from docflow.errors import ConfigError
from docflow.workspace import Workspace

log = logging.getLogger("docflow.engine")


def accepted(base: Config, key: str) -> Config | None:
    """The config the watcher accepted under `key`, paths as this machine sees them; None
    (with a log line) when it cannot be read here."""
    name, _, templates = key.partition("/")
    state = base.path("state")
    copy = state / "config" / name
    try:
        config = parse(tomllib.loads(copy.read_text("utf-8")), base.root, str(copy))
    except (OSError, ValueError, ConfigError) as exc:  # TOMLDecodeError is a ValueError
        log.warning("Không đọc được cấu hình đã được chấp nhận %s, vẫn dùng cấu hình hiện tại: "
                    "%s", copy, exc, extra={"event": "config_not_followed"})
        return None
    # the folders stay this machine's own (a change of folders needs a restart anyway)
    return replace(config, paths=replace(base.paths, templates=state / "templates" / templates))


def follow(ws: Workspace, config: Config) -> Workspace:
    """`ws` running `config` from its next job: in place when the ledger, the register and the
    PDF converter stay as they were, else a workspace opened anew."""
    old = ws.config
    if config.output.pdf:  # as at the worker's start: one LibreOffice per worker process
        config = replace(config, output=replace(config.output, instances=1))
    if (config.output, config.ledger, config.register_target()) == (
            old.output, old.ledger, old.register_target()):
        ws.config, ws.renderer = config, Renderer(config.path("templates"))
        return ws
    ws.close()
    return Workspace.open(config, ws.clock)
