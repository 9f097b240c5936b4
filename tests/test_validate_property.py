"""Whatever a clerk types into whatever cell, validation answers with problems and never raises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from builders import DN_COLUMNS, dn_info
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate import CONFIG, FORM, submission

from docflow.validation.validate import validate

ANY_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
    st.text(max_size=60),
    st.sampled_from(["31/02/2025", "1.234,5", "Tập thể", "Cá nhân", "Nam", "Nữ", "=SUM(A1)",
                     "{{ 7*7 }}", "\x00\x1f", " ", "0", "-1", "2025", "12/TTr-SNV", "x" * 5000]),
)
INFO_KEYS = list(dn_info("SNV"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(info=st.fixed_dictionaries({k: ANY_CELL for k in INFO_KEYS}),
       rows=st.lists(st.fixed_dictionaries({k: ANY_CELL for k in DN_COLUMNS}), max_size=4))
def test_random_values_in_every_cell_never_make_validation_raise(info, rows):
    result = validate(submission(info, rows), FORM, CONFIG)
    for problem in result.problems:
        assert problem.message and problem.code
    if result.accepted:
        assert all(isinstance(v, (str, int, Decimal, dt.date)) or v is None
                   for v in result.record.fields.values())
