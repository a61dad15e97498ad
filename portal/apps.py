from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from .models import OrgUnit

        register_permission_policy(OrgUnit)


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's Users area with the portal's forms (NIP, unit kerja, atasan)."""

    user_viewset = "portal.viewsets.UserViewSet"
