"""Small helpers shared by the suites."""

from django.apps import apps as django_apps


def ensure_base_data() -> None:
    """Recreate what the data migrations made, after a transactional test flushed it.

    Idempotent: Wagtail's Locale and root page, the portal HomePage and default Site, the role
    groups and Bandung's Perangkat Daerah (STACK-NOTES §3, trap 3).
    """
    from importlib import import_module

    from django.contrib.auth.models import Group
    from wagtail.models import Locale, Page, Site

    from portal.models import PORTAL_GROUPS, OrgUnit

    if (
        Site.objects.exists()
        and OrgUnit.objects.exists()
        and Group.objects.filter(name__in=PORTAL_GROUPS).count() == len(PORTAL_GROUPS)
    ):
        return
    Locale.objects.get_or_create(language_code="id")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not django_apps.get_model("cms", "HomePage").objects.exists():
        import_module("cms.migrations.0002_create_homepage").create_homepage(django_apps, None)
    import_module("portal.migrations.0002_groups_and_perangkat_daerah").load(django_apps, None)


def with_user(application, user):
    """Wrap an ASGI app so that scope["user"] is `user` (for WebsocketCommunicator tests)."""

    async def app(scope, receive, send):
        return await application({**scope, "user": user}, receive, send)

    return app
