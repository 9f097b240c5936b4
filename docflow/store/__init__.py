"""store"""

from docflow.store.filelock import FileLock
from docflow.store.fsops import claim, deliver, free_name, nfc_name, sha256, stage, store, sweep_parts
from docflow.store.inbox import is_candidate, is_ignored, unit_of, waiting
from docflow.store.ledger import FileRow, Ledger
from docflow.store.register import Decision, Mark, Nominee, Register

__all__ = ["FileLock", "Decision", "FileRow", "Ledger", "Mark", "Nominee", "Register", "claim", "deliver", "free_name", "is_candidate", "is_ignored", "nfc_name", "sha256", "stage", "store", "sweep_parts", "unit_of", "waiting"]
