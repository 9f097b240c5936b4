"""The ledger (SQLite, or PostgreSQL when shared), its leases and the office's books; file
operations that never lose a document; what in the inbox is a submission."""

from docflow.store.fsops import claim, deliver, free_name, nfc_name, sha256, stage, store, sweep_parts
from docflow.store.inbox import is_candidate, is_ignored, nested, unit_of, waiting
from docflow.store.ledger import FileRow, Ledger, open_ledger
from docflow.store.serial import from_json, to_json
from docflow.store.claims import Claims, arrival_key
from docflow.store.backend import connect as connect_database
from docflow.store.copy import copy_ledger, copy_tables
from docflow.store.register import Books, Decision, Mark, Nominee, nominees_json
from docflow.store.strays import answer_nested, requeue_changed

__all__ = ["connect_database", "Claims", "arrival_key", "answer_nested", "copy_ledger", "copy_tables", "requeue_changed", "Books", "Decision", "FileRow", "Ledger", "Mark", "Nominee", "nominees_json", "from_json", "open_ledger", "to_json", "claim", "deliver", "free_name", "is_candidate", "is_ignored", "nested", "nfc_name", "sha256", "stage", "store", "sweep_parts", "unit_of", "waiting"]
