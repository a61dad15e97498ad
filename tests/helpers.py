"""Small helpers shared by the suites."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import FileSystemStorage
from django.db import transaction

T = TypeVar("T")

PROJECT_APPS = ("portal", "cms", "leaderboard", "training", "performance")


def ensure_base_data() -> None:
    """Recreate what the data migrations made, after a transactional test flushed it.

    Transactional tests flush every table (STACK-NOTES §3, trap 3): Wagtail's Locale and root
    page, and every row our data migrations made (HomePage, Site, groups and their permissions,
    Perangkat Daerah, workflows...). This replays the RunPython operations of the project's
    migrations, in dependency order, against the current models; they are all idempotent.
    Cheap when nothing was flushed.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython
    from wagtail.models import Locale, Page, Site

    from portal.models import ADMIN_BKPSDM

    if (
        Site.objects.exists()
        and Group.objects.filter(name=ADMIN_BKPSDM, permissions__isnull=False).exists()
    ):
        return
    Locale.objects.get_or_create(language_code="id")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    leaves = [node for node in loader.graph.leaf_nodes() if node[0] in PROJECT_APPS]
    seen = set()
    for leaf in leaves:
        for key in loader.graph.forwards_plan(leaf):
            if key[0] not in PROJECT_APPS or key in seen:
                continue
            seen.add(key)
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(django_apps, None)


def with_user(application, user):
    """Wrap an ASGI app so that scope["user"] is `user` (for WebsocketCommunicator tests)."""

    async def app(scope, receive, send):
        return await application({**scope, "user": user}, receive, send)

    return app


@contextmanager
def module_world(builder: Callable[[], T], django_db_blocker, tmp_path_factory) -> Iterator[T]:
    """Build a data set once for a module-scoped fixture and roll it back at the end.

    Evidence files go to a private temporary directory for as long as the world lives.
    Use it as `with module_world(build_world, django_db_blocker, tmp_path_factory) as world:
    yield world` from a fixture that also asks for `django_db_setup`.
    """
    from performance.models import Evidence

    storage = FileSystemStorage(location=tmp_path_factory.mktemp("private"), base_url=None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Evidence._meta.get_field("file"), "storage", storage)
        with django_db_blocker.unblock(), transaction.atomic():
            yield builder()
            transaction.set_rollback(True)
