"""validation"""

from docflow.validation.awards import NOMINATION_SHEET, Nomination, award_keys_in, nominations, prize
from docflow.validation.eligibility import nominees
from docflow.validation.validate import validate

__all__ = ["NOMINATION_SHEET", "Nomination", "award_keys_in", "nominations", "nominees", "prize", "validate"]
