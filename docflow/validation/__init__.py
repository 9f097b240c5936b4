"""Rules on a submission: fields, criteria, quotas, duplicates, copies, attachments, eligibility,
hidden characters."""

from docflow.validation.awards import NOMINATION_SHEET, Nomination, NominationPart, Nominations, award_keys_in, nominations, person_key, prize, same_award
from docflow.validation.eligibility import nominees
from docflow.validation.misfiled import owner_elsewhere
from docflow.validation.validate import validate

__all__ = ["NOMINATION_SHEET", "Nomination", "NominationPart", "Nominations", "award_keys_in", "nominations", "nominees", "owner_elsewhere", "person_key", "prize", "same_award", "validate"]
