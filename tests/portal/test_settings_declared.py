"""Every project setting the apps read is declared once, in portal/settings.py."""

import re
from pathlib import Path

from django.conf import global_settings

from portal import settings as declared

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "cms", "leaderboard", "performance", "training")
READ = re.compile(
    r"""(?<![\w.])settings\.([A-Z][A-Z0-9_]+)|getattr\(\s*settings\s*,\s*["']([A-Z0-9_]+)["']"""
)


def test_every_setting_read_by_the_apps_is_declared():
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in READ.finditer(path.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    assert names  # the scan found the reads
    missing = sorted(
        name for name in names if not hasattr(declared, name) and not hasattr(global_settings, name)
    )
    assert missing == []
