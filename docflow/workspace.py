"""A workspace: the config, its folders, the ledger, the renderer and the clock, opened once."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from docflow.config import Config
from docflow.ledger import Ledger
from docflow.render import Renderer

Clock = Callable[[], dt.datetime]


@dataclass
class Workspace:
    """Everything processing needs, passed in so tests control folders and time."""

    config: Config
    ledger: Ledger
    renderer: Renderer
    clock: Clock = dt.datetime.now
    aggregate_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, config: Config, clock: Clock = dt.datetime.now) -> "Workspace":
        """Open the ledger and templates of a loaded config."""
        state = config.path("state")
        ledger = Ledger(state / "ledger.sqlite3")
        return cls(config, ledger, Renderer(config.path("templates")), clock)

    @property
    def inbox(self) -> Path:
        """The inbox root."""
        return self.config.path("inbox")

    @property
    def outbox(self) -> Path:
        """The outbox root."""
        return self.config.path("outbox")

    def state(self, name: str) -> Path:
        """A folder in the state area: work, archive or rejected."""
        return self.config.path("state") / name

    def close(self) -> None:
        """Release the ledger."""
        self.ledger.close()
