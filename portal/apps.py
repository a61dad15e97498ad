from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_init, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig

from . import page_cache
from .sockets import close_sockets_on_logout, close_sockets_on_revoking_save, remember_access_state


class PortalConfig(AppConfig):
    # default: this module has two AppConfigs, so Django would otherwise use a bare one
    # and never call ready().
    default = True
    name = "portal"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        # local: wagtail.permissions imports Wagtail's models, loadable only once apps are ready
        from wagtail.permissions import register_permission_policy

        # local: this module is imported before any model can be (the app registry loads it)
        from .models import OrgUnit, User

        # The public page cache: pages and Wagtail's own content, then people and units (on
        # stories; a new account is on no page yet, a login or new password shows nowhere).
        page_cache.connect_wagtail()
        page_cache.invalidate_on(User, quiet_fields={"last_login", "password"}, on_create=False)
        page_cache.invalidate_on(OrgUnit)

        register_permission_policy(OrgUnit)
        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="portal.close_sockets")
        # deactivation and a new password close the person's sockets (portal.sockets)
        post_init.connect(remember_access_state, sender=User, dispatch_uid="portal.sockets_init")
        post_save.connect(
            close_sockets_on_revoking_save, sender=User, dispatch_uid="portal.sockets_save"
        )


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's Users area with the portal's forms (NIP, unit kerja, atasan)."""

    user_viewset = "portal.viewsets.UserViewSet"
