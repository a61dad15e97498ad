"""Success stories: the page, its queries and editor form, featured employees, related stories.

A story is published only with the consent of every employee it features (see .consent).
"""

from __future__ import annotations

import logging

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal import page_cache
from portal.domain import berakhlak_choices
from portal.fields import nullable_fk, org_unit_fk, user_fk
from portal.models import User

from ..blocks import story_body_blocks
from ..choosers import employee_chooser_viewset
from .consent import ConsentMissing, ConsentRequest

LISTING_RENDITION = "fill-640x360"
CONSENT_REFUSED_LOG_ACTION = "cms.publish.consent_missing"

logger = logging.getLogger(__name__)


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.SuccessStoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryQuerySet(PageQuerySet):
    def for_listing(self) -> StoryQuerySet:
        """Newest first, with what a story card needs fetched in a fixed number of queries."""
        images = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
        return (
            self.select_related("org_unit")
            .prefetch_related("tags", Prefetch("hero_image", queryset=images))
            .order_by("-first_published_at", "-pk")
        )

    def with_value(self, code: str) -> StoryQuerySet:
        # JSON list of codes; the quotes make the match exact on SQLite and PostgreSQL.
        return self.filter(berakhlak_values__icontains=f'"{code}"')

    def program_tags(self):
        """The program tags these stories carry, by name."""
        return Tag.objects.filter(
            pk__in=StoryTag.objects.filter(content_object__in=self).values("tag_id")
        ).order_by("name")


StoryManager = PageManager.from_queryset(StoryQuerySet)


class StoryPageForm(WagtailAdminPageForm):
    """Story editor form: BerAKHLAK values as checkboxes, and the consent rules at submit time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "berakhlak_values" in self.fields:
            self.fields["berakhlak_values"] = forms.MultipleChoiceField(
                label=_("nilai BerAKHLAK"),
                choices=berakhlak_choices(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def _featured_user_ids(self) -> list[int]:
        formset = self.formsets.get("featured_employees")
        if formset is None or not formset.is_valid():
            return []
        return [
            form.cleaned_data["user"].pk
            for form in formset.forms
            if form.cleaned_data.get("user") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        cleaned = super().clean()
        submitting = "action-submit" in self.data or "action-restart-workflow" in self.data
        publishing = "action-publish" in self.data
        if not (submitting or publishing):
            return cleaned
        user_ids = self._featured_user_ids()
        if not user_ids:
            raise ValidationError(
                _(
                    "Cerita belum bisa diajukan: tambahkan minimal satu pegawai yang ditampilkan, "
                    "karena persetujuan merekalah yang diminta sebelum terbit."
                )
            )
        if publishing:
            approved = set(
                ConsentRequest.objects.filter(
                    page_id=self.instance.pk, user_id__in=user_ids, status=ConsentRequest.APPROVED
                ).values_list("user_id", flat=True)
            )
            if set(user_ids) - approved:
                raise ValidationError(
                    _(
                        "Cerita belum bisa diterbitkan: belum semua pegawai yang ditampilkan "
                        "memberi persetujuan. Ajukan cerita agar persetujuan diminta."
                    )
                )
        return cleaned


class SuccessStoryPage(Page):
    """A success story about real employees: published only with their consent."""

    intro = models.TextField(_("pengantar"), max_length=600)
    hero_image = nullable_fk(
        "wagtailimages.Image",
        _("gambar utama"),
        related_name="+",
        help_text=_("Atur titik fokus pada gambar agar potongan di ponsel tetap tepat."),
    )
    hero_caption = models.CharField(_("keterangan gambar"), max_length=250, blank=True)
    body = StreamField(story_body_blocks(), verbose_name=_("isi cerita"))
    org_unit = org_unit_fk(
        _("perangkat daerah"),
        related_name="+",
        on_delete=models.SET_NULL,
        optional=True,
        limit_choices_to={"parent__isnull": True},
    )
    berakhlak_values = models.JSONField(_("nilai BerAKHLAK"), default=list, blank=True)
    tags = ClusterTaggableManager(
        verbose_name=_("tag program"),
        through=StoryTag,
        blank=True,
        help_text=_("Contoh: Bandung Smart City"),
    )

    objects = StoryManager()
    base_form_class = StoryPageForm

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption")], heading=_("Gambar utama")
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("org_unit"), FieldPanel("berakhlak_values"), FieldPanel("tags")],
            heading=_("Pengelompokan"),
        ),
        InlinePanel(
            "featured_employees",
            label=_("Pegawai yang ditampilkan"),
            help_text=_("Setiap pegawai diminta persetujuannya sebelum cerita terbit."),
        ),
        InlinePanel("related_story_links", label=_("Cerita terkait"), max_num=3),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("org_unit"),
    ]

    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = verbose_name_plural = _("cerita sukses")

    # --- consent on every path to "live" -----------------------------------------------------
    # The editor form checks consent for its own "Terbitkan" button; every other path (bulk
    # publish, scheduled publishing, a revision or workflow approval, a published copy, the
    # admin API) publishes through `publish()` and/or `save()` of a live page, so the rule
    # lives here.

    def employees_without_consent(self) -> list[str]:
        """Names of the featured employees of this version who have not approved it."""
        user_ids = list(dict.fromkeys(fe.user_id for fe in self.featured_employees.all()))
        if not user_ids:
            return []
        approved = set()
        if self.pk is not None:
            approved = set(
                ConsentRequest.objects.filter(
                    page_id=self.pk, user_id__in=user_ids, status=ConsentRequest.APPROVED
                ).values_list("user_id", flat=True)
            )
        missing = [uid for uid in user_ids if uid not in approved]
        if not missing:
            return []
        names = dict(User.objects.filter(pk__in=missing).values_list("pk", "full_name"))
        return [names.get(uid) or str(uid) for uid in missing]

    def check_publication_consent(self) -> None:
        missing = self.employees_without_consent()
        if missing:
            raise ConsentMissing(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "Cerita “%(title)s” belum bisa diterbitkan: %(names)s belum memberi "
                            "persetujuan. Ajukan cerita melalui alur Publikasi Cerita agar "
                            "persetujuan diminta, lalu terbitkan setelah semua setuju."
                        )
                        % {"title": self.title, "names": ", ".join(missing)}
                    ]
                }
            )

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        """Every `Revision.publish()` (bulk publish, scheduled publishing, workflow approval,
        the "create and publish" view) comes here, also when it only schedules."""
        try:
            revision.as_object().check_publication_consent()
        except ConsentMissing as refusal:
            if log_action != "wagtail.publish.scheduled":
                raise
            # publish_scheduled: drop this schedule (it would fail every run) and go on with
            # the other pages; the refusal is in the page's history.
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            log(
                instance=self,
                action=CONSENT_REFUSED_LOG_ACTION,
                revision=revision,
                data={"reason": refusal.messages[0]},
            )
            logger.warning("Scheduled publishing refused for page %s: %s", self.pk, refusal)
            return None
        return super().publish(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )

    def save(self, *args, **kwargs):
        # the last line of defence: paths that build the publish action themselves (the
        # editor view, the admin API) or copy a live page still save a live page here
        if self.live and self._goes_live(kwargs.get("update_fields")):
            self.check_publication_consent()
        return super().save(*args, **kwargs)

    def _goes_live(self, update_fields) -> bool:
        if self._state.adding or self.pk is None:
            return True
        if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
            return False
        stored = (
            SuccessStoryPage.objects.filter(pk=self.pk)
            .values_list("live", "live_revision_id")
            .first()
        )
        return stored != (True, self.live_revision_id)

    @property
    def value_names(self) -> list[str]:
        names = dict(berakhlak_choices())
        return [names[code] for code in self.berakhlak_values if code in names]

    def consented_employees(self):
        """Featured employees who approved publication; nobody else is ever shown."""
        approved = ConsentRequest.objects.filter(page_id=self.pk, status=ConsentRequest.APPROVED)
        employees = self.featured_employees.all()
        if not isinstance(employees, models.QuerySet):
            # A preview or a revision: the employees live in memory (modelcluster), which can
            # filter on a list of ids but not on a subquery.
            return employees.filter(
                user_id__in=list(approved.values_list("user_id", flat=True))
            ).order_by("sort_order")
        return (
            employees.filter(user_id__in=approved.values("user_id"))
            .select_related("user__org_unit")
            .order_by("sort_order")
        )

    def related_stories(self):
        ids = [link.story_id for link in self.related_story_links.all()]
        if not ids:
            return SuccessStoryPage.objects.none()  # public() would still ask for restrictions
        return SuccessStoryPage.objects.live().public().filter(pk__in=ids).for_listing()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: on a hit of the article's fragment cache these are never evaluated.
        context["employees"] = self.consented_employees()
        context["related"] = SimpleLazyObject(self.related_stories)
        context["page_cache_version"] = page_cache.fragment_version()
        context["page_cache_seconds"] = page_cache.cache_seconds()
        return context


class ConsentStatusPanel(Panel):
    """Read-only: has this employee consented to this story? (answered on their beranda)"""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/consent_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["status"] = (
                instance.consent_status
                if instance and instance.pk and instance.user_id
                else _("belum diminta")
            )
            return context


class FeaturedEmployee(Orderable):
    page = ParentalKey(
        SuccessStoryPage, on_delete=models.CASCADE, related_name="featured_employees"
    )
    user = user_fk(
        _("pegawai"),
        related_name="+",
        on_delete=models.CASCADE,
        limit_choices_to={"is_active": True},
    )
    role = models.CharField(
        _("peran dalam cerita"),
        max_length=200,
        blank=True,
        help_text=_("Contoh: penggagas aplikasi"),
    )

    panels = [
        FieldPanel("user", widget=employee_chooser_viewset.widget_class),
        FieldPanel("role"),
        ConsentStatusPanel(heading=_("Status persetujuan")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = verbose_name_plural = _("pegawai yang ditampilkan")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def consent_status(self) -> str:
        latest = (
            ConsentRequest.objects.filter(page_id=self.page_id, user_id=self.user_id)
            .order_by("-pk")
            .first()
        )
        return latest.get_status_display() if latest else _("belum diminta")


class RelatedStory(Orderable):
    page = ParentalKey(
        SuccessStoryPage, on_delete=models.CASCADE, related_name="related_story_links"
    )
    story = models.ForeignKey(
        SuccessStoryPage, verbose_name=_("cerita"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("story")]

    class Meta(Orderable.Meta):
        verbose_name = verbose_name_plural = _("cerita terkait")
