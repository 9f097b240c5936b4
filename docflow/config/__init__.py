"""The campaign's configuration: config.toml loaded into frozen dataclasses, checked with key
paths and hints; the form definitions and the criteria expressions the administrator writes."""

from docflow.config.checks import check, to_confirm
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.config.history import RATINGS, Coefficient, EligibilityRule, Register
from docflow.config.load import load, parse
from docflow.config.model import (
    Account, Award, BaseSalary, Campaign, CampaignChecks, Config, Criterion, Deadline, Engine, Intake,
    Issuer, LedgerSettings, LegalBasis, Money, Office, Output, Paths, Quota, Unit, Watch, Web,
)
from docflow.config.rules import Rule, RuleError, compile_rule

__all__ = [
    "Account", "RATINGS", "Award", "BaseSalary", "Coefficient", "EligibilityRule", "Register",
    "Campaign", "CampaignChecks", "Config", "Criterion", "Deadline", "Engine", "FieldSpec", "FormSpec",
    "Intake", "Issuer", "LedgerSettings", "LegalBasis", "Money", "Office", "Output", "Paths", "Quota", "RuleError",
    "SheetSpec", "Unit", "Watch", "Web", "check", "Rule", "compile_rule", "load", "parse",
    "to_confirm",
]
