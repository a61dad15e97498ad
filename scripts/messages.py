"""Refresh the project's catalogues: `make messages`.

Source strings are written in Indonesian (the portal's first language), so:
- locale/id: our strings, msgstr filled with the msgid (the catalogue is complete by design);
- locale/en: our strings, translated to English by hand (tests fail on an empty msgstr);
- locale/wagtail-admin/id: Wagtail admin strings that Wagtail ships untranslated
  (English msgids), kept apart so that makemessages never marks them obsolete.
Needs GNU gettext (xgettext) for extraction.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
IGNORE = [
    ".venv",
    "node_modules",
    "staticfiles",
    "media",
    "private_media",
    "tests",
    "benchmarks",
    "scripts",
]


def main() -> int:
    cmd = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "id",
        "-l",
        "en",
        "--no-location",
        "--no-obsolete",
    ]
    for pattern in IGNORE:
        cmd += ["--ignore", f"{pattern}/*"]
    subprocess.run(cmd, cwd=ROOT, check=True, env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"})
    catalogue = polib.pofile(str(ROOT / "locale/id/LC_MESSAGES/django.po"))
    # The Indonesian text is the source itself: always the msgid (a fuzzy guess of msgmerge
    # once turned "%(n)s RHK" into "%(n)s poin", as Indonesian has one plural form).
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()
    english = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in english if not e.translated()]
    for msgid in missing:
        sys.stdout.write(f"en: missing translation: {msgid!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
