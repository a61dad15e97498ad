"""The site's own pages: the public front page, guides, and the story index at /cerita/."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import story_body_blocks
from ..listing import story_listing
from .stories import StoryQuerySet, SuccessStoryPage


class HomePage(Page):
    """The public front page: what the portal is and why it matters."""

    hero_title = models.CharField(_("judul utama"), max_length=200, default="", blank=True)
    hero_intro = models.TextField(_("pengantar"), blank=True)
    body = RichTextField(_("isi"), blank=True)
    training_call = models.CharField(
        _("ajakan pelatihan"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Kalimat ajakan mengikuti pelatihan sosialisasi; kosongkan untuk teks bawaan."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_intro"),
        FieldPanel("body"),
        FieldPanel("training_call"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("halaman beranda publik")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = SuccessStoryPage.objects.live().public().for_listing()[:3]
        context["story_index"] = StoryIndexPage.objects.live().first()
        return context


class StandardPage(Page):
    """Guides and FAQ written by the communications team."""

    intro = models.TextField(_("pengantar"), blank=True)
    body = StreamField(story_body_blocks(), verbose_name=_("isi"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = verbose_name_plural = _("halaman standar")


class StoryIndexPage(Page):
    """/cerita/: every published success story, with filters, search and pagination."""

    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.SuccessStoryPage"]
    max_count = 1

    class Meta:
        verbose_name = verbose_name_plural = _("daftar cerita sukses")

    def stories(self) -> StoryQuerySet:
        """The live stories below this index that anyone may read."""
        return SuccessStoryPage.objects.live().public().child_of(self)

    def search_stories(self, query: str):
        return SuccessStoryPage.objects.live().child_of(self).search(query, operator="and")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(story_listing(request, self))
        return context

    def route(self, request, path_components):
        # One query for the story with what its header shows, instead of Wagtail's generic
        # child lookup followed by `.specific` and two more for the image and the OPD.
        if path_components:
            story = (
                SuccessStoryPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .select_related("hero_image", "org_unit")
                .first()
            )
            if story is not None:
                story._cached_parent_obj = self
                return story.route(request, path_components[1:])
        return super().route(request, path_components)
