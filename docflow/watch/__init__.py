"""watch"""

from docflow.watch.service import Watcher
from docflow.watch.status import status_text

__all__ = ["Watcher", "status_text"]
