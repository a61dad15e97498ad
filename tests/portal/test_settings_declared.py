"""Every project setting the apps read is declared, once, in one module of portal/settings/."""

import ast
import re
from pathlib import Path

from django.conf import global_settings

from portal import settings as declared

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "cms", "leaderboard", "performance", "training", "api")
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


def test_every_setting_is_declared_in_one_module_only():
    """The package gathers its modules with star imports: a name assigned in two of them would
    silently take the value of whichever is imported last."""
    where: dict[str, list[str]] = {}
    for path in sorted((ROOT / "portal" / "settings").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    where.setdefault(target.id, [])
                    if path.name not in where[target.id]:
                        where[target.id].append(path.name)
    assert "DEBUG" in where and "LEADERBOARD_LEVELS" in where  # the scan found the settings
    assert {name: files for name, files in where.items() if len(files) > 1} == {}
