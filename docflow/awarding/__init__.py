"""The award round around each file: the office's register seen from a nomination, the facts of
a round (the office's Tờ trình, reminders after a deadline), and signed decisions coming back."""

from docflow.awarding.closing import facts_for, send_reminders
from docflow.awarding.issued import already_awarded, take_issued
from docflow.awarding.register_view import history_view, into_register

__all__ = ["already_awarded", "facts_for", "history_view", "into_register", "send_reminders",
           "take_issued"]
