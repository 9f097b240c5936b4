"""store"""

from docflow.store.fsops import claim, deliver, free_name, nfc_name, sha256, stage, store, sweep_parts
from docflow.store.inbox import is_candidate, is_ignored, unit_of, waiting
from docflow.store.ledger import FileRow, Ledger, from_json, open_ledger, to_json
from docflow.store.copy import copy_ledger

__all__ = ["FileRow", "Ledger", "copy_ledger", "from_json", "open_ledger", "to_json", "claim", "deliver", "free_name", "is_candidate", "is_ignored", "nfc_name", "sha256", "stage", "store", "sweep_parts", "unit_of", "waiting"]
