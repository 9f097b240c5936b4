"""The hot-folder service: observers or polling, the stability gate, the embedded worker pool,
retries, reload, status."""

from typing import Any

from docflow.watch.status import service_running, status_text

__all__ = ["Watcher", "service_running", "status_text"]


def __getattr__(name: str) -> Any:
    # The service (watchdog, the pool, the pipeline) loads when first asked for: `docflow
    # status` needs only the status reader.
    if name == "Watcher":
        from docflow.watch.service import Watcher

        return Watcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
