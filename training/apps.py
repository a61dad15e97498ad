from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import page_cache


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self) -> None:
        # The catalogue's filters (TrainingIndexPage.get_context) are public: cached. Its
        # modules and lessons are pages, which the page cache follows itself; "status" is
        # personal and never cached.
        page_cache.cache_query_params("jenis", "nilai")
