"""Every user-facing string has an Indonesian and an English text."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["id", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    assert missing == []


def test_english_placeholders_match():
    catalogue = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for entry in catalogue:
        if entry.msgstr:
            assert set(placeholder.findall(entry.msgid)) == set(
                placeholder.findall(entry.msgstr)
            ), entry.msgid
