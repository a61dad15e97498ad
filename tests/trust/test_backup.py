"""scripts/backup_restore_check.sh against the throwaway test database on PostgreSQL."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from leaderboard.services import award_points
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump not installed"),
    pytest.mark.django_db(transaction=True),  # the dump must see committed rows
]


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


@pytest.fixture
def some_data(employee, supervisor):
    for n in range(5):
        award_points(user=employee, points=n + 1, reason="recognition", key=f"backup-{n}")
    return employee


@pytest.fixture
def private_media(tmp_path):
    root = tmp_path / "private"
    (root / "bukti" / "2026").mkdir(parents=True)
    (root / "bukti" / "2026" / "laporan.pdf").write_bytes(b"%PDF-1.4 evidence")
    (root / "sertifikat.pdf").write_bytes(b"%PDF-1.4 certificate " * 100)
    return root


def test_backup_restores_into_a_fresh_database_identically(some_data, private_media, tmp_path):
    url = database_url(connection.settings_dict["NAME"])
    backup = tmp_path / "backup"
    result = run(
        DATABASE_URL=url, DJANGO_PRIVATE_MEDIA_ROOT=str(private_media), BACKUP_DIR=str(backup)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "databases identical" in result.stdout
    assert "leaderboard_pointentry" in result.stdout
    assert "private media identical: 2 files" in result.stdout
    assert (backup / "db.dump").stat().st_size > 0
    assert (backup / "private-media.tar.gz").exists()
    # the restored database was dropped afterwards (this database's: the other worker's test
    # below keeps its own restored copy for a moment)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME']}_restore_check_%"],
        )
        assert cursor.fetchone()[0] == 0


def test_the_comparison_finds_a_difference(some_data, private_media):
    url = database_url(connection.settings_dict["NAME"])
    result = run(DATABASE_URL=url, DJANGO_PRIVATE_MEDIA_ROOT=str(private_media), KEEP_RESTORED="1")
    assert result.returncode == 0, result.stderr
    restored = result.stdout.strip().splitlines()[-2].removeprefix("kept: ")
    restored_name = restored.rsplit("/", 1)[1]
    try:
        UserFactory()  # the original moves on: one more user
        compared = run("--compare", url, restored)
        assert compared.returncode == 1
        assert "portal_user" in compared.stderr
        assert "row counts differ" in compared.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')


def test_a_missing_database_url_is_refused():
    result = run(DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode == 2
    assert "must be a postgres:// URL" in result.stderr
