from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import page_cache


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Situs dan cerita")

    def ready(self) -> None:
        # local: cms.media reads Wagtail's models, importable only once the apps are ready
        from . import media

        # What public pages show besides the pages themselves: the header and footer, the
        # consent answers that decide who a story features, the story tags; the story
        # listing's filters are cached too.
        page_cache.invalidate_on("cms.SiteChrome", "cms.ConsentRequest", "taggit.Tag")
        page_cache.cache_query_params("opd", "nilai", "tag", "page")
        media.connect_signals()
