"""Site settings: the navigation and footer links."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from ..blocks import LinkBlock


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    nav_links = StreamField([("link", LinkBlock())], verbose_name=_("tautan navigasi"), blank=True)
    footer_text = models.TextField(_("teks kaki halaman"), blank=True)
    footer_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("tautan kaki halaman"), blank=True
    )

    panels = [FieldPanel("nav_links"), FieldPanel("footer_text"), FieldPanel("footer_links")]

    CACHE_KEY = "cms:site-chrome"

    class Meta:
        verbose_name = _("navigasi dan kaki halaman")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def as_dict(self) -> dict:
        def links(stream):
            return [{"label": b.value["label"], "url": b.value["url"]} for b in stream]

        return {
            "nav_links": links(self.nav_links),
            "footer_text": self.footer_text,
            "footer_links": links(self.footer_links),
        }
