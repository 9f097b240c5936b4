"""The hot-folder service: observers or polling, the stability gate, the embedded worker pool,
retries, reload, status."""

from docflow.watch.service import Watcher
from docflow.watch.status import service_running, status_text

__all__ = ["Watcher", "service_running", "status_text"]
