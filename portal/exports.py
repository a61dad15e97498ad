"""Helpers every spreadsheet export uses (CSV and XLSX, every app).

`safe_cell(value)` neutralises formula injection: a text cell that starts with `=`, `+`, `-`, `@`
(or a tab / carriage return, which some spreadsheet programs strip before reading a formula) is
written with a leading apostrophe, so Excel and LibreOffice show it as text instead of running it.
Numbers, dates and None pass unchanged.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
