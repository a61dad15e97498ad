"""Helpers shared by every spreadsheet export (XLSX and CSV) of the portal."""

from __future__ import annotations

from typing import Any

# A spreadsheet reads a text cell that starts with one of these as a formula (or, for tab
# and carriage return, as the start of one after Excel trims it): OWASP "CSV injection".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return `value` ready to be written into an XLSX or CSV cell without being run.

    Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
    apostrophe, so Excel, LibreOffice and openpyxl keep it as text instead of evaluating it
    (e.g. `=HYPERLINK(...)` typed as a name or a narrative). Everything else — numbers
    (including negative ones), dates, `None`, ordinary text — is returned unchanged.
    Pure: no I/O, no Django.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
