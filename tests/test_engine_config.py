"""[engine] and [ledger] in config.toml: absent, nothing changes; present, they are checked and
name the fix; `docflow worker` refuses the embedded engine."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builders import workspace

from docflow import cli
from docflow.config import load, parse
from docflow.errors import ConfigError

ROOT = Path(__file__).resolve().parent / "data"  # the pinned sample config, never the live one


def sample() -> dict:
    return tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))


def test_without_the_new_tables_the_embedded_engine_and_sqlite_are_kept():
    config = load(ROOT / "config.toml")
    assert config.engine.kind == "embedded"
    assert config.ledger.url == ""


def test_the_celery_engine_with_a_postgresql_ledger_loads():
    raw = sample()
    raw["engine"] = {"kind": "celery", "broker": "redis://10.0.0.5:6379/0"}
    raw["ledger"] = {"url": "postgresql://docflow@db-host/docflow"}
    config = parse(raw, ROOT)
    assert (config.engine.kind, config.engine.broker) == ("celery", "redis://10.0.0.5:6379/0")
    assert config.ledger.url == "postgresql://docflow@db-host/docflow"


@pytest.mark.parametrize("engine, ledger, expected", [
    ({"kind": "celery"}, {}, "ledger.url: chạy nhiều máy ([engine] kind = \"celery\") cần sổ"),
    ({"kind": "huey"}, {}, "engine.kind: giá trị 'huey' không hợp lệ"),
    ({"kind": "celery", "broker": "amqp://x"}, {"url": "postgresql://a@b/c"},
     "engine.broker: cần địa chỉ Redis"),
    ({}, {"url": "/srv/ledger.sqlite3"}, "ledger.url: cần địa chỉ PostgreSQL"),
])
def test_a_wrong_engine_or_ledger_names_the_key_and_the_fix(engine, ledger, expected):
    raw = sample()
    raw["engine"], raw["ledger"] = engine, ledger
    with pytest.raises(ConfigError) as info:
        parse(raw, ROOT)
    assert any(expected in p for p in info.value.problems), info.value.problems


def test_docflow_worker_needs_the_celery_engine(tmp_path, capsys):
    assert cli.main(["--config", str(workspace(tmp_path)), "worker"]) == cli.EXIT_ERROR
    assert "docflow worker cần [engine] kind = \"celery\"" in capsys.readouterr().err
