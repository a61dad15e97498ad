"""Small helpers shared by the suites."""

from django.apps import apps as django_apps

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
