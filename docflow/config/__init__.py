"""The campaign's configuration: config.toml loaded into frozen dataclasses, checked with key
paths and hints; the form definitions and the criteria expressions the administrator writes."""

from docflow.config.checks import check, to_confirm
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.config.history import RATINGS, Coefficient, EligibilityRule, Register
from docflow.config.load import load, parse
from docflow.config.model import (
    Award, BaseSalary, Campaign, CampaignChecks, Config, Criterion, Deadline, Issuer, LegalBasis,
    Money, Office, Paths, Quota, Round, Unit, Vocabulary,
)
from docflow.config.runtime import Account, Engine, Intake, LedgerSettings, Output, Watch, Web
from docflow.config.rules import Rule, RuleError, compile_rule
from docflow.config.units import (FORMER, counts_on, ended_on, group_code_on, name_on,
                                  presented_as, units_on)

__all__ = [
    "Account", "RATINGS", "Award", "BaseSalary", "Coefficient", "EligibilityRule", "Register",
    "Campaign", "CampaignChecks", "Config", "Criterion", "Deadline", "Engine", "FieldSpec", "FormSpec",
    "Intake", "Issuer", "LedgerSettings", "LegalBasis", "Money", "Office", "Output", "Paths", "Quota", "Round",
    "RuleError", "SheetSpec", "Unit", "Vocabulary", "Watch", "Web", "check", "Rule",
    "compile_rule", "load", "parse", "to_confirm", "FORMER", "counts_on", "ended_on",
    "group_code_on", "name_on", "presented_as", "units_on",
]
