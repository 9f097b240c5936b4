"""Shared fixtures: a temporary workspace opened on the shipped config."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from builders import FixedClock, workspace  # noqa: E402

from docflow.config import load  # noqa: E402
from docflow.workspace import Workspace  # noqa: E402


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def ws(tmp_path: Path, clock: FixedClock):
    config = load(workspace(tmp_path))
    opened = Workspace.open(config, clock, converter=None)  # Word only; PDF tests opt in
    yield opened
    opened.close()


@pytest.fixture
def pdf_ws(tmp_path: Path, clock: FixedClock):
    """A workspace that makes PDFs through the real LibreOffice (installed in CI)."""
    opened = Workspace.open(load(workspace(tmp_path, pdf=True)), clock)
    assert opened.converter is not None, "LibreOffice with python3-uno must be installed"
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL 15 server of the test run's own, on a loopback port."""
    from servers import Postgres

    server = Postgres()
    yield server
    server.close()


@pytest.fixture(scope="session")
def redis_server():
    """A redis-server of the test run's own, on a loopback port."""
    from servers import Redis

    server = Redis()
    yield server
    server.close()
