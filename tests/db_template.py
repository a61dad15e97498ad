"""One migrated test database per run, copied for each pytest-xdist worker.

Without this every worker migrates its own test database (233 migrations, about 30 s of CPU
each, most of it Django rendering model states). Here the controlling process migrates one
template database while the workers collect the tests, and each worker's test database is a
copy of it: `CREATE DATABASE ... TEMPLATE` on PostgreSQL, a file copy on SQLite. The copy holds
exactly what the migrations made (data migrations included); pytest-django still names, uses
and drops each worker's database as before (test_portal_gw0, ...).

Only with workers (`-n 2`, `-n auto`) and a fresh database (not `--reuse-db`, not
`--no-migrations`); otherwise, or when the template could not be made, pytest-django migrates
as it always did.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import traceback
from pathlib import Path

import pytest

KEY = "portal_db_template"
_template: dict = {}


def _wanted(config) -> bool:
    return (
        config.pluginmanager.hasplugin("dsession")  # the xdist controller, with workers
        and not config.getoption("reuse_db", False)
        and not config.getoption("nomigrations", False)
    )


def _build(directory: Path) -> None:
    """In the controller, in a thread: create and migrate the template, then say so."""
    from django.db import connections

    try:
        connection = connections["default"]
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
        _template["name"] = name
        (directory / "ready").write_text(name)
    except BaseException:
        (directory / "failed").write_text(traceback.format_exc())
        raise
    finally:
        connections.close_all()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    if not _wanted(session.config):
        return
    from django.conf import settings
    from pytest_django.plugin import blocking_manager_key

    directory = Path(tempfile.mkdtemp(prefix="portal-db-template-"))
    _template.update(
        directory=directory,
        original=settings.DATABASES["default"]["NAME"],
        thread=threading.Thread(target=_build, args=(directory,), daemon=True),
        # pytest-django blocks the ORM outside tests; this process runs none
        unblocked=session.config.stash[blocking_manager_key].unblock(),
    )
    _template["thread"].start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    if "directory" in _template:
        node.workerinput[KEY] = str(_template["directory"])


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    if "thread" not in _template:
        return
    _template["thread"].join()
    directory = _template.pop("directory")
    if "name" in _template:
        from django.db import connections

        connection = connections["default"]
        connection.settings_dict["NAME"] = _template["name"]
        connection.creation.destroy_test_db(_template["original"], verbosity=0)
    _template.pop("unblocked").__exit__(None, None, None)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """In a worker: make pytest-django's create_test_db copy the template, not migrate."""
    directory = getattr(request.config, "workerinput", {}).get(KEY)
    if directory:
        from django.db import connections

        creation = connections["default"].creation
        migrate = creation.create_test_db
        creation.create_test_db = lambda **kwargs: _copy_template(
            Path(directory), creation, migrate, **kwargs
        )


def _copy_template(directory: Path, creation, migrate, *, serialize=True, keepdb=False, **kwargs):
    from django.conf import settings

    while not (directory / "ready").exists():
        if (directory / "failed").exists() or not directory.exists():
            return migrate(serialize=serialize, keepdb=keepdb, **kwargs)
        time.sleep(0.2)
    template = (directory / "ready").read_text()
    connection = creation.connection
    name = creation._get_test_db_name()
    connection.close()
    if connection.vendor == "postgresql":
        _copy_postgresql(creation, template, name)
    elif connection.vendor == "sqlite" and not creation.is_in_memory_db(template):
        Path(name).unlink(missing_ok=True)
        shutil.copyfile(template, name)
    else:
        return migrate(serialize=serialize, keepdb=keepdb, **kwargs)
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    connection.ensure_connection()
    return name


def _copy_postgresql(creation, template: str, name: str) -> None:
    from django.db import OperationalError

    quote = creation.connection.ops.quote_name
    for attempt in range(20):
        try:
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
            return
        except OperationalError:
            # "source database is being accessed by other users": the other worker's copy
            if attempt == 19:
                raise
            time.sleep(0.5)
