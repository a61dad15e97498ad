"""The records about each person: enrolment, lessons read, quiz attempts and grants, certificates.

Plain models written by training.services.
"""

from __future__ import annotations

import base64
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import foreign_key, user_fk
from portal.sql import among

from .pages import LessonPage, TrainingModulePage, confirmed_mandatory_modules


class Enrollment(models.Model):
    user = user_fk(related_name="training_enrollments", on_delete=models.CASCADE)
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="enrollments"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("peserta pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="enrollment_unique_user_module")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.module_id}"


class LessonCompletion(models.Model):
    user = user_fk(related_name="lesson_completions", on_delete=models.CASCADE)
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    # Read again after a round of quiz attempts was used up (retake policy).
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pelajaran selesai")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✓ {self.lesson_id}"

    @property
    def read_at(self):
        return max(self.completed_at, self.reviewed_at or self.completed_at)


class QuizAttempt(models.Model):
    user = user_fk(related_name="quiz_attempts", on_delete=models.CASCADE)
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
        verbose_name = verbose_name_plural = _("percobaan kuis")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "token"], name="quiz_attempt_unique_token"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.module_id}: {self.score}"


class AttemptGrant(models.Model):
    """Admin BKPSDM gives a person a new set of quiz attempts for a module, with a reason."""

    user = user_fk(related_name="quiz_attempt_grants", on_delete=models.CASCADE)
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="attempt_grants"
    )
    attempts = models.PositiveSmallIntegerField(
        _("tambahan percobaan"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reason = models.TextField(_("alasan"), max_length=1000)
    # Null: the automatic new round after the waiting time and re-reading (retake policy).
    granted_by = user_fk(_("diberikan oleh"), related_name="+", optional=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("tambahan percobaan kuis")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.module_id}: +{self.attempts}"


def new_certificate_code() -> str:
    """80 random bits, base32 (A-Z, 2-7): unguessable, easy to read aloud and to type."""
    return base64.b32encode(secrets.token_bytes(10)).decode()


class CertificateQuerySet(models.QuerySet):
    def has_completed_mandatory(self, user) -> bool:
        """True when `user` holds a certificate for every confirmed mandatory module.

        Only modules whose "wajib" Admin BKPSDM confirmed gate the first report (a moderator
        cannot make a module mandatory alone). One query.
        """
        return not self.missing_mandatory(user).exists()

    def missing_mandatory(self, user) -> models.QuerySet:
        """The confirmed mandatory modules `user` holds no certificate for (unevaluated: the
        performance app's submission checks `Exists` of it inside its own query)."""
        return confirmed_mandatory_modules().exclude(
            pk__in=self.model.objects.filter(user=user).values("module_id")
        )

    def completion_by_unit(self, unit_ids, until) -> dict[int, tuple[int, int]]:
        """Per org unit: (active employees holding a certificate issued before `until` for every
        live mandatory module, active employees). With no mandatory module live, everyone has
        completed. For the monitoring table (performance), in place of a hook. 2 queries."""
        people = self.model._meta.get_field("user").related_model
        staff = people.objects.filter(
            is_active=True, org_unit_id__in=among(people, "org_unit", unit_ids)
        ).values("org_unit_id")
        mandatory = list(
            TrainingModulePage.objects.live().filter(mandatory=True).values_list("pk", flat=True)
        )
        if not mandatory:
            rows = staff.annotate(n=models.Count("pk")).values_list("org_unit_id", "n")
            return {unit: (n, n) for unit, n in rows}
        # Counted in the database (a hashed subplan): a row per certificate holder, summed in
        # Python, was a city's 10,000 rows on every monitoring page.
        holders = (
            self.filter(module_id__in=mandatory, issued_at__lt=until)
            .values("user_id")
            .annotate(n=models.Count("module_id", distinct=True))
            .filter(n=len(mandatory))
            .values("user_id")
        )
        rows = staff.annotate(
            n=models.Count("pk"), done=models.Count("pk", filter=models.Q(pk__in=holders))
        ).values_list("org_unit_id", "done", "n")
        return {unit: (done, n) for unit, done, n in rows}

    def in_year(self, year: int) -> CertificateQuerySet:
        return self.filter(issued_at__year=year)

    def jp_total(self) -> int:
        return self.aggregate(total=models.Sum("jp"))["total"] or 0


class Certificate(models.Model):
    """Proof of a completed module; also the module-completion record and the JP tally."""

    code = models.CharField(_("kode"), max_length=20, unique=True, default=new_certificate_code)
    user = user_fk(related_name="certificates")
    # SET_NULL: a deleted module keeps its certificates verifiable (snapshots below).
    module = foreign_key(
        TrainingModulePage, related_name="certificates", on_delete=models.SET_NULL, null=True
    )
    holder_name = models.CharField(_("nama"), max_length=150)
    holder_nip = models.CharField(_("NIP"), max_length=18)
    module_title = models.CharField(_("modul"), max_length=255)
    jp = models.PositiveSmallIntegerField(_("JP"))
    score = models.PositiveSmallIntegerField(_("nilai kuis"), null=True, blank=True)
    issued_at = models.DateTimeField(_("tanggal terbit"), default=timezone.now, db_index=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("sertifikat")
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
