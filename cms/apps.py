from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Situs dan cerita")

    def ready(self) -> None:
        # local: the app registry must be ready before these modules import models
        from . import media, page_cache

        page_cache.connect_signals()
        media.connect_signals()
