"""The campaign's configuration: config.toml loaded into frozen dataclasses, checked with key
paths and hints; the form definitions and the criteria expressions the administrator writes."""

from docflow.config.checks import check
from docflow.config.forms import FieldSpec, FormSpec, SheetSpec
from docflow.config.load import load, parse
from docflow.config.model import (
    Award, BaseSalary, Campaign, CampaignChecks, Config, Criterion, Intake, Issuer,
    LegalBasis, Money, Office, Output, Paths, Quota, Unit, Watch,
)
from docflow.config.rules import RuleError, compile_rule
from docflow.config.units import (FORMER, counts_on, ended_on, group_code_on, name_on,
                                  presented_as, units_on)

__all__ = [
    "Award", "BaseSalary", "Campaign", "CampaignChecks", "Config",
    "Criterion", "FieldSpec", "FormSpec", "Intake", "Issuer", "LegalBasis", "Money", "Office",
    "Output", "Paths", "Quota", "RuleError", "SheetSpec", "Unit", "Watch", "check",
    "compile_rule", "load", "parse", "FORMER", "counts_on", "ended_on", "group_code_on",
    "name_on", "presented_as", "units_on",
]
