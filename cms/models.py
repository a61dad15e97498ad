from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page, PageManager, Task, TaskState
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal import page_cache
from portal.domain import berakhlak_choices
from portal.notifications import notify_users

from .blocks import LinkBlock, story_body_blocks
from .choosers import employee_chooser_viewset

LISTING_RENDITION = "fill-640x360"
CONSENT_REFUSED_LOG_ACTION = "cms.publish.consent_missing"

logger = logging.getLogger(__name__)


class ConsentMissing(ValidationError):
    """A story would go live (or be scheduled) before every featured employee consented."""


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
        verbose_name = _("halaman standar")
        verbose_name_plural = _("halaman standar")


class StoryIndexPage(Page):
    """/cerita/: every published success story, with filters, search and pagination."""

    intro = models.TextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.SuccessStoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("daftar cerita sukses")
        verbose_name_plural = _("daftar cerita sukses")

    def get_context(self, request, *args, **kwargs):
        from .listing import story_listing

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


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.SuccessStoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryQuerySet(PageQuerySet):
    def for_listing(self) -> StoryQuerySet:
        """Newest first, with what a story card needs fetched in a fixed number of queries."""
        from wagtail.images import get_image_model

        images = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
        return (
            self.select_related("org_unit")
            .prefetch_related("tags", Prefetch("hero_image", queryset=images))
            .order_by("-first_published_at", "-pk")
        )

    def with_value(self, code: str) -> StoryQuerySet:
        # JSON list of codes; the quotes make the match exact on SQLite and PostgreSQL.
        return self.filter(berakhlak_values__icontains=f'"{code}"')


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
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar utama"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Atur titik fokus pada gambar agar potongan di ponsel tetap tepat."),
    )
    hero_caption = models.CharField(_("keterangan gambar"), max_length=250, blank=True)
    body = StreamField(story_body_blocks(), verbose_name=_("isi cerita"))
    org_unit = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name=_("perangkat daerah"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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
        verbose_name = _("cerita sukses")
        verbose_name_plural = _("cerita sukses")

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
        from portal.models import User

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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pegawai"),
        on_delete=models.CASCADE,
        related_name="+",
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
        verbose_name = _("pegawai yang ditampilkan")
        verbose_name_plural = _("pegawai yang ditampilkan")

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
        verbose_name = _("cerita terkait")
        verbose_name_plural = _("cerita terkait")


# --- Workflow: the featured employees' consent -------------------------------------------


class ConsentTask(Task):
    """Asks every featured employee to consent; they answer on /beranda/, outside the admin.

    Approved when all have consented, rejected as soon as one declines. Employees who
    already consented to this story are not asked again when the workflow restarts.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("persetujuan pegawai yang ditampilkan")
        verbose_name_plural = _("persetujuan pegawai yang ditampilkan")

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        story = task_state.revision.as_object()
        user_ids = list(dict.fromkeys(fe.user_id for fe in story.featured_employees.all()))
        if not user_ids:
            task_state.reject(
                user=None,
                update=False,
                comment=str(
                    _(
                        "Tidak ada pegawai yang ditampilkan, jadi tidak ada persetujuan yang bisa diminta."
                    )
                ),
            )
            return task_state
        already = set(
            ConsentRequest.objects.filter(
                page_id=story.pk, user_id__in=user_ids, status=ConsentRequest.APPROVED
            ).values_list("user_id", flat=True)
        )
        created = ConsentRequest.objects.bulk_create(
            ConsentRequest(page_id=story.pk, user_id=uid, task_state=task_state)
            for uid in user_ids
            if uid not in already
        )
        # issue 15.11 (board helper): the one call that tells each featured person
        notify_users(
            urls={c.user_id: reverse("cms:consent", args=[c.pk]) for c in created},
            message=gettext("Cerita “%(title)s” menampilkan Anda: mohon beri persetujuan.")
            % {"title": story.title},
            actor=user,
        )
        if set(user_ids) <= already:
            task_state.approve(
                user=None, update=False, comment=str(_("Semua pegawai sudah memberi persetujuan."))
            )
        return task_state

    def get_actions(self, obj, user):
        return []  # answered by the employees themselves on /beranda/

    def locked_for_user(self, obj, user):
        # the text being consented to must not change under the employee's eyes
        return not user.is_superuser

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Setiap pegawai yang ditampilkan menyetujui cerita di beranda mereka")


class ConsentRequestQuerySet(models.QuerySet):
    def pending_for(self, user) -> ConsentRequestQuerySet:
        return (
            self.filter(
                user=user,
                status=ConsentRequest.PENDING,
                task_state__status=TaskState.STATUS_IN_PROGRESS,
            )
            .select_related("page", "task_state__workflow_state__requested_by")
            .order_by("pk")
        )


class ConsentRequest(models.Model):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    STATUS_CHOICES = [
        (PENDING, _("menunggu jawaban")),
        (APPROVED, _("setuju")),
        (DECLINED, _("tidak setuju")),
    ]

    page = models.ForeignKey(
        SuccessStoryPage, on_delete=models.CASCADE, related_name="consent_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_consents"
    )
    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="consent_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=PENDING)
    comment = models.TextField(_("komentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan persetujuan")
        verbose_name_plural = _("permintaan persetujuan")
        constraints = [
            models.UniqueConstraint(fields=["task_state", "user"], name="consent_once_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.page} ({self.status})"


# --- Site settings: navigation and footer -------------------------------------------------


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
