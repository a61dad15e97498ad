"""Training: Wagtail pages (catalogue, modules, lessons) and the records about each person.

Pages are written by Tim Komunikasi and approved by Moderator Konten (workflow
"Publikasi Pelatihan", see training/editorial.py). Per-person records (enrolment, lesson
completion, quiz attempts, certificates) are plain models written by training.services.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from portal.domain import berakhlak_choices, berakhlak_values

from .blocks import LessonBodyBlock, QuizBlock, choice_token

# --- pages -------------------------------------------------------------------------------


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
        from django.core.paginator import Paginator

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
        context.update(
            modules=page,
            filters={"jenis": request.GET.get("jenis", ""), "nilai": value, "status": status},
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


@dataclass(frozen=True)
class Choice:
    token: str
    text: str
    is_correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    multiple: bool
    choices: list[Choice]
    explanation: str

    @property
    def correct_tokens(self) -> frozenset[str]:
        return frozenset(c.token for c in self.choices if c.is_correct)

    def public(self) -> PublicQuestion:
        """What the browser may see before submission: no mark of the correct choices."""
        return PublicQuestion(
            id=self.id,
            text=self.text,
            multiple=self.multiple,
            choices=[(c.token, c.text) for c in self.choices],
        )


@dataclass(frozen=True)
class PublicQuestion:
    id: str
    text: str
    multiple: bool
    choices: list[tuple[str, str]] = field(default_factory=list)


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
    prerequisite = models.ForeignKey(
        "training.TrainingModulePage",
        verbose_name=_("modul prasyarat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
        verbose_name = _("pelajaran")
        verbose_name_plural = _("pelajaran")

    # Served through the "before_serve_page" hook (training/wagtail_hooks.py → views.serve_lesson):
    # signed-in people only, locked lessons refused. Previews render the plain page.


# --- records -------------------------------------------------------------------------------


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_enrollments"
    )
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="enrollments"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="enrollment_unique_user_module")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.module_id}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    # Read again after a round of quiz attempts was used up (retake policy).
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pelajaran selesai")
        verbose_name_plural = _("pelajaran selesai")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✓ {self.lesson_id}"

    @property
    def read_at(self):
        return max(self.completed_at, self.reviewed_at or self.completed_at)


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    # One per rendered quiz form: a resubmitted form is recognised, never counted twice.
    token = models.UUIDField(default=uuid.uuid4)
    answers = models.JSONField(default=dict)  # question id -> [choice tokens]
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("nilai"), default=0)
    passed = models.BooleanField(_("lulus"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("percobaan kuis")
        verbose_name_plural = _("percobaan kuis")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "token"], name="quiz_attempt_unique_token"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.module_id}: {self.score}"


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
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("disahkan oleh"),
    )
    confirmed_at = models.DateTimeField(_("disahkan pada"), default=timezone.now)

    class Meta:
        verbose_name = _("pengesahan modul")
        verbose_name_plural = _("pengesahan modul")
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.jp} JP"


class AttemptGrant(models.Model):
    """Admin BKPSDM gives a person a new set of quiz attempts for a module, with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempt_grants"
    )
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="attempt_grants"
    )
    attempts = models.PositiveSmallIntegerField(
        _("tambahan percobaan"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reason = models.TextField(_("alasan"), max_length=1000)
    # Null: the automatic new round after the waiting time and re-reading (retake policy).
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diberikan oleh"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tambahan percobaan kuis")
        verbose_name_plural = _("tambahan percobaan kuis")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.module_id}: +{self.attempts}"


def new_certificate_code() -> str:
    """80 random bits, base32 (A-Z, 2-7): unguessable, easy to read aloud and to type."""
    return base64.b32encode(secrets.token_bytes(10)).decode()


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


class CertificateQuerySet(models.QuerySet):
    def has_completed_mandatory(self, user) -> bool:
        """True when `user` holds a certificate for every confirmed mandatory module.

        Only modules whose "wajib" Admin BKPSDM confirmed gate the first report (a moderator
        cannot make a module mandatory alone). The performance app calls this. One query.
        """
        missing = confirmed_mandatory_modules().exclude(
            pk__in=self.model.objects.filter(user=user).values("module_id")
        )
        return not missing.exists()

    def completion_by_unit(self, unit_ids, until) -> dict[int, tuple[int, int]]:
        """Per org unit: (active employees holding a certificate issued before `until` for every
        live mandatory module, active employees). With no mandatory module live, everyone has
        completed. For the monitoring table (performance), in place of a hook. 3 queries."""
        people = self.model._meta.get_field("user").related_model
        staff = dict(
            people.objects.filter(is_active=True, org_unit_id__in=unit_ids)
            .values("org_unit_id")
            .annotate(n=models.Count("pk"))
            .values_list("org_unit_id", "n")
        )
        mandatory = list(
            TrainingModulePage.objects.live().filter(mandatory=True).values_list("pk", flat=True)
        )
        if not mandatory:
            return {unit: (n, n) for unit, n in staff.items()}
        holders = (
            self.filter(
                module_id__in=mandatory,
                issued_at__lt=until,
                user__is_active=True,
                user__org_unit_id__in=unit_ids,
            )
            .values("user_id", "user__org_unit_id")
            .annotate(n=models.Count("module_id", distinct=True))
            .filter(n=len(mandatory))
        )
        done: dict[int, int] = {}
        for row in holders:
            unit = row["user__org_unit_id"]
            done[unit] = done.get(unit, 0) + 1
        return {unit: (done.get(unit, 0), n) for unit, n in staff.items()}

    def in_year(self, year: int) -> CertificateQuerySet:
        return self.filter(issued_at__year=year)

    def jp_total(self) -> int:
        return self.aggregate(total=models.Sum("jp"))["total"] or 0


class Certificate(models.Model):
    """Proof of a completed module; also the module-completion record and the JP tally."""

    code = models.CharField(_("kode"), max_length=20, unique=True, default=new_certificate_code)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    # SET_NULL: a deleted module keeps its certificates verifiable (snapshots below).
    module = models.ForeignKey(
        TrainingModulePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder_name = models.CharField(_("nama"), max_length=150)
    holder_nip = models.CharField(_("NIP"), max_length=18)
    module_title = models.CharField(_("modul"), max_length=255)
    jp = models.PositiveSmallIntegerField(_("JP"))
    score = models.PositiveSmallIntegerField(_("nilai kuis"), null=True, blank=True)
    issued_at = models.DateTimeField(_("tanggal terbit"), default=timezone.now, db_index=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"], name="certificate_unique_user_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.holder_name} — {self.module_title}"

    @property
    def verify_url(self) -> str:
        return f"{settings.PORTAL_BASE_URL}/sertifikat/{self.code}/"


def filter_by_status(modules, user, status: str):
    """Narrow a module queryset to those where `user` is "belum", "berjalan" or "selesai"."""
    completed = Certificate.objects.filter(user=user).values("module_id")
    started = Enrollment.objects.filter(user=user).values("module_id")
    if status == "selesai":
        return modules.filter(pk__in=completed)
    if status == "berjalan":
        return modules.filter(pk__in=started).exclude(pk__in=completed)
    return modules.exclude(pk__in=started).exclude(pk__in=completed)
