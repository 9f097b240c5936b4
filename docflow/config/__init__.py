"""The campaign's configuration: config.toml loaded into frozen dataclasses, checked with key
paths and hints; the form definitions and the criteria expressions the administrator writes."""

from docflow.config.checks import check
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.config.load import load, parse
from docflow.config.model import (
    Award, BaseSalary, Campaign, CampaignChecks, Config, Criterion, Engine, Intake, Issuer,
    LedgerSettings,
    LegalBasis, Money, Office, Output, Paths, Quota, Unit, Watch,
)
from docflow.config.rules import Rule, RuleError, compile_rule

__all__ = [
    "Award", "BaseSalary", "Campaign", "CampaignChecks", "Config",
    "Criterion", "Engine", "FieldSpec", "FormSpec", "Intake", "Issuer", "LedgerSettings", "LegalBasis", "Money", "Office",
    "Output", "Paths", "Quota", "RuleError", "SheetSpec", "Unit", "Watch", "check",
    "Rule", "compile_rule", "load", "parse",
]
