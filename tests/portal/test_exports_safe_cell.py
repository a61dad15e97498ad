import datetime as dt
from decimal import Decimal

import pytest

from portal.exports import safe_cell


@pytest.mark.parametrize(
    "raw",
    [
        '=HYPERLINK("http://evil.example","klik")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_text_becomes_literal_text(raw):
    assert safe_cell(raw) == "'" + raw


@pytest.mark.parametrize(
    "value",
    [
        "Budi Santoso",
        "",
        "Kepala Bidang = Eselon III",
        5,
        -5,
        2.5,
        Decimal("-1.5"),
        None,
        dt.date(2026, 1, 2),
    ],
)
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)
