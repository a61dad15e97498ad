"""The training pages (catalogue, modules, lessons) and Admin BKPSDM's confirmation of a module.

Pages are written by Tim Komunikasi and approved by Moderator Konten (workflow
"Publikasi Pelatihan", see training/editorial.py).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from portal.domain import berakhlak_choices, berakhlak_values
from portal.fields import nullable_fk, user_fk

from ..blocks import LessonBodyBlock, QuizBlock, choice_token
from .quiz import Choice, Question


def validate_jp_hours(value: int) -> None:
    """JP per module: at most settings.TRAINING_JP_MAX_PER_MODULE (a local choice, see README)."""
    limit = settings.TRAINING_JP_MAX_PER_MODULE
    if value is not None and value > limit:
        raise ValidationError(
            _(
                "JP satu modul paling banyak %(limit)s. Modul daring mandiri tidak dihitung "
                "setara diklat panjang; pecah materi yang lebih besar menjadi beberapa modul."
            ),
            code="jp_too_high",
            params={"limit": limit},
        )


class FourEyesPublishMixin:
    """Nobody publishes or approves a training page they changed themselves (four eyes).

    Every publish path passes through Page.publish(): the editor's "Terbitkan", the workflow
    approve action (WorkflowState.finish -> revision.publish), bulk publish, reverting, and
    scheduling (scheduled publishing later runs with user=None: the check already ran when it
    was scheduled). A user who saved any revision since the page was last published is an
    author of this change and may not be the one who publishes it.
    """

    def authors_of_pending_change(self) -> set[int]:
        revisions = Revision.page_revisions.filter(object_id=str(self.pk))
        if self.live_revision_id:
            live = Revision.objects.filter(pk=self.live_revision_id).values("created_at")
            revisions = revisions.filter(created_at__gt=live[:1])
        return set(revisions.exclude(user=None).values_list("user_id", flat=True))

    def user_authored_pending_change(self, user) -> bool:
        return bool(user and user.pk and user.pk in self.authors_of_pending_change())

    def publish(self, revision, user=None, *args, **kwargs):
        authors = self.authors_of_pending_change() | {revision.user_id}
        if user is not None and user.pk in authors:
            raise PublishPagePermissionError(
                _(
                    "Empat mata: Anda ikut mengubah halaman pelatihan ini, jadi tidak boleh "
                    "menerbitkan atau menyetujuinya sendiri. Minta Moderator Konten lain "
                    "menyetujuinya."
                )
            )
        return super().publish(revision, user, *args, **kwargs)


class TrainingIndexPage(Page):
    """The catalogue at /pelatihan/."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["training.TrainingModulePage"]
    max_count = 1
    page_size = 12

    class Meta:
        verbose_name = _("katalog pelatihan")

    def modules(self, *, mandatory: bool | None = None, value: str = ""):
        modules = TrainingModulePage.objects.child_of(self).live().order_by("-mandatory", "path")
        if mandatory is not None:
            modules = modules.filter(mandatory=mandatory)
        if value:
            # JSON containment is not portable to SQLite: match the quoted code instead.
            modules = modules.filter(berakhlak_values__icontains=f'"{value}"')
        return modules

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        mandatory = {"wajib": True, "pilihan": False}.get(request.GET.get("jenis", ""))
        codes = {code for code, _name in berakhlak_choices()}
        value = request.GET.get("nilai", "")
        value = value if value in codes else ""
        status = request.GET.get("status", "")
        modules = self.modules(mandatory=mandatory, value=value)
        if status in STATUS_FILTERS and request.user.is_authenticated:
            modules = filter_by_status(modules, request.user, status)
        else:
            status = ""
        page = Paginator(modules, self.page_size).get_page(request.GET.get("halaman"))
        filters = {"jenis": request.GET.get("jenis", ""), "nilai": value, "status": status}
        context.update(
            modules=page,
            filters=filters,
            pager_query=urlencode(filters),
            berakhlak=berakhlak_choices(),
            status_choices=STATUS_FILTERS,
            values_by_code=dict(berakhlak_choices()),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.GET.get("status"):
            # Filtering by "my status" makes this response personal.
            response["Cache-Control"] = "private"
        return response


STATUS_FILTERS = {
    "belum": _("Belum dimulai"),
    "berjalan": _("Sedang berjalan"),
    "selesai": _("Selesai"),
}


def filter_by_status(modules, user, status: str):
    """Narrow a module queryset to those where `user` is "belum", "berjalan" or "selesai"."""
    completed = models.Q(certificates__user=user)
    started = models.Q(enrollments__user=user)
    if status == "selesai":
        return modules.filter(completed)
    if status == "berjalan":
        return modules.filter(started).exclude(completed)
    return modules.exclude(started).exclude(completed)


class TrainingModuleForm(WagtailAdminPageForm):
    berakhlak_values = forms.MultipleChoiceField(
        label=_("nilai BerAKHLAK"),
        choices=berakhlak_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        prerequisite = cleaned.get("prerequisite")
        if prerequisite and self.instance.pk and prerequisite.pk == self.instance.pk:
            self.add_error("prerequisite", _("Modul tidak bisa menjadi prasyarat dirinya sendiri."))
        return cleaned


class TrainingModulePage(FourEyesPublishMixin, Page):
    summary = models.TextField(_("ringkasan"), max_length=600)
    minutes = models.PositiveSmallIntegerField(
        _("perkiraan durasi (menit)"), default=60, validators=[MinValueValidator(1)]
    )
    jp_hours = models.PositiveSmallIntegerField(
        _("JP (jam pelajaran)"),
        default=2,
        validators=[MinValueValidator(1), validate_jp_hours],
        help_text=_(
            "Jam pelajaran yang dicatat pada sertifikat dan rekap JP tahunan. Berlaku setelah "
            "disahkan Admin BKPSDM."
        ),
    )
    mandatory = models.BooleanField(
        _("wajib"),
        default=False,
        help_text=_(
            "Modul wajib harus diselesaikan sebelum laporan kinerja periodik pertama. Berlaku "
            "setelah disahkan Admin BKPSDM."
        ),
    )
    berakhlak_values = models.JSONField(
        _("nilai BerAKHLAK"), default=list, blank=True, help_text=_("Kode nilai BerAKHLAK.")
    )
    prerequisite = nullable_fk(
        "training.TrainingModulePage",
        _("modul prasyarat"),
        related_name="+",
        help_text=_("Modul yang harus selesai lebih dulu."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("batas percobaan kuis"), default=3, help_text=_("0 berarti tanpa batas.")
    )
    lessons_in_order = models.BooleanField(
        _("pelajaran dibuka berurutan"),
        default=True,
        help_text=_("Pelajaran berikutnya terbuka setelah pelajaran sebelumnya selesai."),
    )
    quiz = StreamField(QuizBlock(), verbose_name=_("kuis"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("minutes"),
                FieldPanel("jp_hours"),
                FieldPanel("mandatory"),
                FieldPanel("berakhlak_values"),
                PageChooserPanel("prerequisite", "training.TrainingModulePage"),
            ],
            heading=_("Pengaturan modul"),
        ),
        MultiFieldPanel(
            [FieldPanel("lessons_in_order"), FieldPanel("pass_mark"), FieldPanel("attempt_limit")],
            heading=_("Aturan belajar dan kuis"),
        ),
        FieldPanel("quiz"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    base_form_class = TrainingModuleForm
    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types = ["training.LessonPage"]

    class Meta:
        verbose_name = _("modul pelatihan")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def value_names(self) -> list[str]:
        names = dict(berakhlak_choices())
        return [names[code] for code in self.berakhlak_values if code in names]

    def value_details(self) -> list[dict]:
        chosen = set(self.berakhlak_values)
        return [v for v in berakhlak_values() if v["code"] in chosen]

    def questions(self) -> list[Question]:
        questions = []
        for block in self.quiz:
            choices = [
                Choice(
                    token=choice_token(block.id, item.id),
                    text=item.value["text"],
                    is_correct=bool(item.value["is_correct"]),
                )
                for item in block.value["choices"].bound_blocks
            ]
            questions.append(
                Question(
                    id=block.id,
                    text=block.value["question"],
                    multiple=block.block_type == "multiple_choice",
                    choices=choices,
                    explanation=block.value["explanation"],
                )
            )
        return questions

    @property
    def has_quiz(self) -> bool:
        return len(self.quiz) > 0

    def current_confirmation(self) -> ModuleConfirmation | None:
        """The Admin BKPSDM confirmation of this module's live JP and mandatory flag, if any.

        A confirmation counts only while the live values are the confirmed ones: an editor who
        changes JP or "wajib" afterwards needs a new confirmation.
        """
        latest = self.confirmations.order_by("-confirmed_at", "-pk").first()
        if latest and latest.jp == self.jp_hours and latest.mandatory == self.mandatory:
            return latest
        return None


class LessonPage(FourEyesPublishMixin, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("isi pelajaran"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["training.TrainingModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = verbose_name_plural = _("pelajaran")

    # Served through the "before_serve_page" hook (training/wagtail_hooks.py → views.serve_lesson):
    # signed-in people only, locked lessons refused. Previews render the plain page.

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["module"] = (
            self.get_parent()
        )  # the breadcrumb's; serve_lesson gives the specific one
        return context


class ModuleConfirmation(models.Model):
    """Admin BKPSDM confirms a module's JP and mandatory flag (append-only; the latest counts).

    Until the live values of a module are confirmed, completing it issues a certificate with
    0 JP and no points; confirming later gives the JP and points to those who completed it.
    """

    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="confirmations"
    )
    jp = models.PositiveSmallIntegerField(_("JP"), validators=[validate_jp_hours])
    mandatory = models.BooleanField(_("wajib"))
    note = models.TextField(_("catatan"), max_length=1000, blank=True)
    # Null only for modules confirmed by seed_demo / fixtures, never from the screen.
    confirmed_by = user_fk(_("disahkan oleh"), related_name="+", optional=True)
    confirmed_at = models.DateTimeField(_("disahkan pada"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("pengesahan modul")
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.jp} JP"


def confirmed_mandatory_modules():
    """Live modules that are mandatory and whose mandatory flag Admin BKPSDM confirmed."""
    latest = ModuleConfirmation.objects.filter(module=models.OuterRef("pk")).order_by(
        "-confirmed_at", "-pk"
    )
    return (
        TrainingModulePage.objects.live()
        .filter(mandatory=True)
        .annotate(
            confirmed_mandatory=models.Subquery(latest.values("mandatory")[:1]),
            confirmed_jp=models.Subquery(latest.values("jp")[:1]),
        )
        .filter(confirmed_mandatory=True, confirmed_jp=models.F("jp_hours"))
    )
