"""Production settings: checked in a fresh interpreter with production variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "kinerja.example.go.id",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
}


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_without_debug():
    env = {**PRODUCTION}
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_seed_demo_refuses_to_run_without_debug():
    result = run_manage("seed_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_DEBUG=1" in result.stderr


def test_each_xdist_worker_has_its_own_redis_keys():
    code = (
        "import pytest, django; from django.conf import settings; django.setup(); "
        "print(settings.CACHES['default']['KEY_PREFIX'], "
        "settings.CHANNEL_LAYERS['default']['CONFIG']['prefix'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "DJANGO_CACHE_PREFIX": "ci",
        "CHANNELS_PREFIX": "ci",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}

    def prefixes(**extra):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, **env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert prefixes(PYTEST_XDIST_WORKER="gw3") == ["ci-gw3", "ci-gw3"]
    assert prefixes() == ["ci", "ci"]
