"""watch"""

from docflow.watch.service import Watcher
from docflow.watch.status import service_running, status_text

__all__ = ["Watcher", "service_running", "status_text"]
