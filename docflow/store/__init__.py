"""store"""

from docflow.store.filelock import FileLock
from docflow.store.fsops import claim, deliver, free_name, nfc_name, sha256, stage, store, sweep_parts
from docflow.store.inbox import is_candidate, is_ignored, nested, unit_of, waiting
from docflow.store.ledger import FileRow, Ledger

__all__ = ["FileLock", "FileRow", "Ledger", "claim", "deliver", "free_name", "is_candidate", "is_ignored", "nested", "nfc_name", "sha256", "stage", "store", "sweep_parts", "unit_of", "waiting"]
