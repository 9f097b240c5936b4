"""Take files from the inbox to their answers: orchestration (flow) and the answers themselves."""

from docflow.drafts import refresh_aggregates
from docflow.pipeline.answers import ADMIN, Claimed, Outcome
from docflow.pipeline.flow import (
                                   STATUS_WORDS,
                                   ProgressHook,
                                   claim_inbox_file,
                                   count_documents,
                                   process_all,
                                   process_claimed,
                                   process_inbox_file,
                                   recover,
                                   resume,
                                   take_inbox_file,
)

__all__ = ["ADMIN", "STATUS_WORDS", "Claimed", "Outcome", "ProgressHook", "claim_inbox_file",
           "count_documents", "process_all", "process_claimed", "process_inbox_file", "recover",
           "refresh_aggregates", "resume", "take_inbox_file"]
