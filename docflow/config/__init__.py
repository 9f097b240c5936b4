"""The campaign's configuration: config.toml loaded into frozen dataclasses, checked with key
paths and hints; the form definitions and the criteria expressions the administrator writes."""

from docflow.config.checks import check
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.config.load import load, parse
from docflow.config.model import (
    Award, BaseSalary, Campaign, CampaignChecks, Config, Criterion, Deadline, Intake, Issuer,
    LegalBasis, Money, Office, Output, Paths, Quota, Unit, Vocabulary, Watch,
)
from docflow.config.rules import RuleError, compile_rule

__all__ = [
    "Award", "BaseSalary", "Campaign", "CampaignChecks", "Config",
    "Criterion", "Deadline", "FieldSpec", "FormSpec", "Intake", "Issuer", "LegalBasis", "Money", "Office",
    "Output", "Paths", "Quota", "RuleError", "SheetSpec", "Unit", "Vocabulary", "Watch", "check",
    "compile_rule", "load", "parse",
]
