from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    # default: this module has two AppConfigs, so Django would otherwise use a bare one
    # and never call ready().
    default = True
    name = "portal"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out
        from wagtail.permissions import register_permission_policy

        from .models import OrgUnit
        from .sockets import close_sockets_on_logout

        register_permission_policy(OrgUnit)
        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="portal.close_sockets")


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's Users area with the portal's forms (NIP, unit kerja, atasan)."""

    user_viewset = "portal.viewsets.UserViewSet"
