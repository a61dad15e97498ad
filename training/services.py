"""Rule-bearing writes of the training app: enrolment, lessons, quiz attempts, completion."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from leaderboard.models import PointEntry
from leaderboard.services import award_points
from portal.models import User

from .models import (
    AttemptGrant,
    Certificate,
    Enrollment,
    LessonCompletion,
    LessonPage,
    ModuleConfirmation,
    Question,
    QuizAttempt,
    TrainingModulePage,
)
from .progress import module_progress


class DuplicateSubmission(Exception):
    """The same quiz form was submitted again; `attempt` is the one already graded."""

    def __init__(self, attempt: QuizAttempt):
        super().__init__("quiz form already graded")
        self.attempt = attempt


def enroll(*, user: User, module: TrainingModulePage) -> Enrollment:
    """Enrol `user` in `module` (on the first visit); idempotent."""
    enrollment = Enrollment.objects.filter(user=user, module=module).first()
    if enrollment:
        return enrollment
    try:
        with transaction.atomic():
            return Enrollment.objects.create(user=user, module=module)
    except IntegrityError:
        return Enrollment.objects.get(user=user, module=module)


@transaction.atomic
def complete_lesson(*, user: User, lesson: LessonPage) -> LessonCompletion:
    """Mark a lesson done. Refuses a lesson that is still locked for `user`; idempotent.

    The last lesson of a module without a quiz completes the module.
    """
    module = lesson.get_parent().specific
    state = module_progress(user, module).state_of(lesson)
    if state is None:
        raise ValidationError(_("Pelajaran ini tidak ditemukan di modul yang sedang berjalan."))
    if not state.unlocked:
        raise ValidationError(
            _("Pelajaran ini masih terkunci. Selesaikan pelajaran sebelumnya lebih dulu.")
        )
    enroll(user=user, module=module)
    completion, created = LessonCompletion.objects.get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    if not created:
        # Read again (the retake policy asks for it after a round of failed attempts).
        completion.reviewed_at = timezone.now()
        completion.save(update_fields=["reviewed_at"])
    if not module.has_quiz and module_progress(user, module).all_lessons_done:
        complete_module(user=user, module=module)
    return completion


def exhausted_message(progress) -> str:
    """What happens next for a person out of quiz attempts, in words (Asia/Jakarta times)."""
    retry_at = progress.retry_at
    if retry_at is None:
        return _("Batas percobaan kuis sudah habis.")
    when = formats.date_format(timezone.localtime(retry_at), "j F Y, H:i")
    if progress.lessons_to_reread:
        return _(
            "Percobaan putaran ini sudah habis. Putaran baru terbuka mulai %(when)s WIB, "
            "setelah Anda membaca ulang pelajaran yang belum ditandai."
        ) % {"when": when}
    return _("Percobaan putaran ini sudah habis. Putaran baru terbuka mulai %(when)s WIB.") % {
        "when": when
    }


@transaction.atomic
def grant_attempts(
    *, user: User, module: TrainingModulePage, attempts: int, reason: str, by: User
) -> AttemptGrant:
    """Admin BKPSDM gives `user` extra quiz attempts for `module` at once (recorded: who, when,
    why). Refused (ValidationError) for anyone but Admin BKPSDM, a module without a quiz or
    limit, a person who already passed, or without a reason."""
    if not by.is_bkpsdm_admin:
        raise ValidationError(_("Hanya Admin BKPSDM yang dapat menambah percobaan kuis."))
    if not module.has_quiz or not module.attempt_limit:
        raise ValidationError(_("Modul ini tidak membatasi percobaan kuis."))
    if QuizAttempt.objects.filter(user=user, module=module, passed=True).exists():
        raise ValidationError(_("Pegawai ini sudah lulus kuis modul ini."))
    grant = AttemptGrant(
        user=user, module=module, attempts=attempts, reason=reason.strip(), granted_by=by
    )
    grant.full_clean()
    grant.save()
    return grant


def grade(questions: Sequence[Question], answers: Mapping[str, Sequence[str]]) -> int:
    """Number of questions answered correctly (all-or-nothing for multiple choice).

    Raises ValidationError when a question is unanswered, a single-choice question has more
    than one answer, or an answer id does not belong to its question.
    """
    correct = 0
    for question in questions:
        chosen = set(answers.get(question.id) or [])
        if not chosen:
            raise ValidationError(_("Semua pertanyaan harus dijawab."))
        if not chosen <= {c.token for c in question.choices}:
            raise ValidationError(
                _("Ada pilihan jawaban yang tidak dikenal. Muat ulang halaman kuis lalu coba lagi.")
            )
        if not question.multiple and len(chosen) != 1:
            raise ValidationError(_("Pertanyaan pilihan tunggal hanya boleh satu jawaban."))
        correct += chosen == question.correct_tokens
    return correct


def passes(*, correct: int, total: int, pass_mark: int) -> bool:
    # Integer arithmetic: 4 of 5 is exactly 80 %, with no rounding surprises at the edge.
    return total > 0 and correct * 100 >= pass_mark * total


@transaction.atomic
def submit_quiz(
    *,
    user: User,
    module: TrainingModulePage,
    answers: Mapping[str, Sequence[str]],
    token: uuid.UUID,
) -> QuizAttempt:
    """Grade one submitted quiz form and record it as an attempt.

    A form submitted again (same token) raises DuplicateSubmission with the first attempt.
    Refused (ValidationError, nothing recorded) while lessons are open, after passing, past the
    attempt limit, or with missing/foreign answers. A passing attempt completes the module.
    """
    enrollment = enroll(user=user, module=module)
    # Serialise a person's submissions for this module: the attempt limit holds under races.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    previous = QuizAttempt.objects.filter(user=user, module=module, token=token).first()
    if previous is not None:
        raise DuplicateSubmission(previous)
    progress = module_progress(user, module)
    if not module.has_quiz:
        raise ValidationError(_("Modul ini tidak memiliki kuis."))
    if not progress.prerequisite_met or not progress.all_lessons_done:
        raise ValidationError(_("Kuis terbuka setelah semua pelajaran selesai."))
    if progress.passed:
        raise ValidationError(_("Anda sudah lulus kuis ini."))
    if progress.attempts_left == 0:
        if not progress.new_round_ready():
            raise ValidationError(exhausted_message(progress))
        # Retake policy: the waiting time is over and the lessons were read again.
        AttemptGrant.objects.create(
            user=user,
            module=module,
            attempts=module.attempt_limit,
            reason=_("Putaran baru otomatis setelah masa tunggu dan membaca ulang pelajaran."),
            granted_by=None,
        )
    questions = module.questions()
    correct = grade(questions, answers)
    total = len(questions)
    attempt = QuizAttempt(
        user=user,
        module=module,
        token=token,
        answers={q.id: sorted(set(answers.get(q.id) or [])) for q in questions},
        correct_count=correct,
        question_count=total,
        score=100 * correct // total,
        passed=passes(correct=correct, total=total, pass_mark=module.pass_mark),
    )
    attempt.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # The same form, submitted twice at once (where row locks are not available).
        raise DuplicateSubmission(
            QuizAttempt.objects.get(user=user, module=module, token=token)
        ) from None
    if attempt.passed:
        complete_module(user=user, module=module)
    return attempt


@transaction.atomic
def complete_module(*, user: User, module: TrainingModulePage) -> Certificate:
    """Issue the certificate for `module`, award the points once, add the JP to this year.

    Idempotent: a second call returns the same certificate and awards nothing. Requires every
    lesson done and, when the module has a quiz, a passing attempt (ValidationError otherwise).
    """
    existing = Certificate.objects.filter(user=user, module=module).first()
    if existing is not None:
        return existing
    progress = module_progress(user, module)
    if not progress.prerequisite_met or not progress.all_lessons_done:
        raise ValidationError(_("Selesaikan semua pelajaran modul ini lebih dulu."))
    best = (
        QuizAttempt.objects.filter(user=user, module=module, passed=True).order_by("-score").first()
    )
    if module.has_quiz and best is None:
        raise ValidationError(_("Lulus kuis modul ini lebih dulu."))
    confirmation = module.current_confirmation()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                module=module,
                holder_name=user.full_name,
                holder_nip=user.nip,
                module_title=module.title,
                # Only JP that Admin BKPSDM confirmed count; see ModuleConfirmation.
                jp=confirmation.jp if confirmation else 0,
                score=best.score if best else None,
            )
    except IntegrityError:
        return Certificate.objects.get(user=user, module=module)
    Enrollment.objects.update_or_create(
        user=user, module=module, defaults={"completed_at": certificate.issued_at}
    )
    if confirmation is not None:
        _award_training_points(user=user, module=module)
    return certificate


def _award_training_points(*, user: User, module: TrainingModulePage) -> None:
    """Points for a completed, confirmed module, within the yearly training cap.

    The cap (settings.TRAINING_POINTS_MAX_PER_YEAR) holds however many modules exist; the
    person's row is locked so two completions at once cannot both pass under the cap.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    year = timezone.localdate().year
    earned = (
        PointEntry.objects.filter(
            user=user,
            reason=PointEntry.Reason.MODULE_COMPLETED,
            created_at__year=year,
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
    points = min(
        settings.TRAINING_POINTS_PER_MODULE, settings.TRAINING_POINTS_MAX_PER_YEAR - earned
    )
    if points <= 0:
        return
    award_points(
        user=user,
        points=points,
        reason=PointEntry.Reason.MODULE_COMPLETED,
        key=f"module:{module.pk}:user:{user.pk}",
    )


@transaction.atomic
def confirm_module(*, module: TrainingModulePage, by: User, note: str = "") -> ModuleConfirmation:
    """Admin BKPSDM confirms the live JP and "wajib" of `module` (four eyes on what grants JP).

    Certificates already issued for it with 0 JP get the confirmed JP, and their holders the
    points (idempotent keys, within the yearly cap). Refused (ValidationError) for anyone but
    Admin BKPSDM, for a page that is not live, or above the JP bound.
    """
    if not by.is_bkpsdm_admin:
        raise ValidationError(_("Hanya Admin BKPSDM yang dapat mengesahkan JP modul."))
    module = TrainingModulePage.objects.select_for_update().get(pk=module.pk)
    if Revision.page_revisions.filter(object_id=str(module.pk), user=by).exists():
        # Four eyes here too: whoever wrote the module does not confirm what it grants.
        raise ValidationError(
            _("Anda ikut menulis modul ini; pengesahan JP harus oleh Admin BKPSDM lain.")
        )
    if not module.live:
        raise ValidationError(_("Modul ini belum terbit; sahkan setelah terbit."))
    confirmation = ModuleConfirmation(
        module=module, jp=module.jp_hours, mandatory=module.mandatory, note=note, confirmed_by=by
    )
    confirmation.full_clean()
    confirmation.save()
    for certificate in Certificate.objects.filter(module=module, jp=0).select_related("user"):
        certificate.jp = confirmation.jp
        certificate.save(update_fields=["jp"])
        _award_training_points(user=certificate.user, module=module)
    return confirmation
