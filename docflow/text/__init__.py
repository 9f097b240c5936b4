"""Vietnamese text: letters (NFC, folding, collation, slugs), numbers and dates as documents write
them, and legacy-font (TCVN3, VNI) detection."""

from docflow.text.legacy import detect_legacy_encoding
from docflow.text.letters import (clean, collation_key, fold, given_name_key, nfc, slug,
                                  upper_vi)
from docflow.text.numbers import (excel_serial_to_date, format_money, format_number, megabytes,
                                  money_words, nd30_date, number_to_words, parse_date,
                                  parse_number, short_date)

__all__ = ["clean", "collation_key", "detect_legacy_encoding", "excel_serial_to_date", "fold",
           "format_money", "format_number", "given_name_key", "megabytes", "money_words",
           "nd30_date", "nfc", "number_to_words", "parse_date", "parse_number", "short_date",
           "slug", "upper_vi"]
