"""validation"""

from docflow.validation.awards import NOMINATION_SHEET, Nomination, award_keys_in, nominations, prize
from docflow.validation.misfiled import owner_elsewhere
from docflow.validation.validate import validate

__all__ = ["NOMINATION_SHEET", "Nomination", "award_keys_in", "nominations", "owner_elsewhere", "prize", "validate"]
