"""Where a person stands in each module: lessons done and unlocked, quiz attempts, certificate.

Reads only. `progress_for(user, modules)` costs a fixed number of queries whatever the number of
modules or lessons, so the catalogue, the module page and the beranda card can all use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from .models import (
    AttemptGrant,
    Certificate,
    Enrollment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    TrainingModulePage,
)


@dataclass
class LessonState:
    lesson: LessonPage
    number: int
    done: bool
    unlocked: bool
    read_at: datetime | None = None


@dataclass
class ModuleProgress:
    module: TrainingModulePage
    lessons: list[LessonState] = field(default_factory=list)
    enrolled: bool = False
    certificate: Certificate | None = None
    attempts_used: int = 0
    attempts_granted: int = 0
    last_attempt_at: datetime | None = None
    passed: bool = False
    prerequisite_met: bool = True

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_done(self) -> int:
        return sum(1 for state in self.lessons if state.done)

    @property
    def all_lessons_done(self) -> bool:
        return self.lessons_done == self.lessons_total

    @property
    def completed(self) -> bool:
        return self.certificate is not None

    @property
    def steps_total(self) -> int:
        """Lessons plus the quiz (one step): what the percentage counts."""
        return self.lessons_total + (1 if self.module.has_quiz else 0)

    @property
    def steps_done(self) -> int:
        if self.completed:
            return self.steps_total
        return self.lessons_done + (1 if self.module.has_quiz and self.passed else 0)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return (100 * self.steps_done // self.steps_total) if self.steps_total else 0

    @property
    def status(self) -> str:
        if self.completed:
            return "selesai"
        if self.enrolled or self.lessons_done:
            return "berjalan"
        return "belum"

    @property
    def attempts_left(self) -> int | None:
        """Attempts left in the current round (None: no limit). Grants add to the round."""
        limit = self.module.attempt_limit
        if not limit:
            return None
        return max(limit + self.attempts_granted - self.attempts_used, 0)

    @property
    def exhausted(self) -> bool:
        return self.module.has_quiz and not self.passed and self.attempts_left == 0

    @property
    def retry_at(self) -> datetime | None:
        """When a new round of attempts opens (retake policy), for a person out of attempts."""
        if not self.exhausted or self.last_attempt_at is None:
            return None
        return self.last_attempt_at + timedelta(hours=settings.TRAINING_QUIZ_RETRY_WAIT_HOURS)

    @property
    def lessons_to_reread(self) -> list[LessonState]:
        """Lessons not read again since the last failed attempt (needed for a new round)."""
        if not self.exhausted or self.last_attempt_at is None:
            return []
        return [s for s in self.lessons if not s.read_at or s.read_at < self.last_attempt_at]

    def new_round_ready(self, now: datetime | None = None) -> bool:
        """Out of attempts, the waiting time is over and every lesson was read again."""
        retry_at = self.retry_at
        return (
            retry_at is not None
            and (now or timezone.now()) >= retry_at
            and not self.lessons_to_reread
        )

    @property
    def waiting(self) -> bool:
        retry_at = self.retry_at
        return retry_at is not None and timezone.now() < retry_at

    @property
    def quiz_open(self) -> bool:
        """The quiz may be taken now: lessons done, not passed yet, attempts left (or a new
        round is ready to open)."""
        return (
            self.module.has_quiz
            and self.prerequisite_met
            and self.all_lessons_done
            and not self.passed
            and (self.attempts_left != 0 or self.new_round_ready())
        )

    def state_of(self, lesson: Page) -> LessonState | None:
        return next((s for s in self.lessons if s.lesson.pk == lesson.pk), None)

    def next_lesson(self) -> LessonState | None:
        """The first lesson not done yet (the one to continue with)."""
        return next((s for s in self.lessons if not s.done), None)

    def lesson_after(self, lesson: Page) -> LessonState | None:
        found = False
        for state in self.lessons:
            if found:
                return state
            found = state.lesson.pk == lesson.pk
        return None


def _lessons_by_module(modules: list[TrainingModulePage]) -> dict[int, list[LessonPage]]:
    if not modules:
        return {}
    by_path = {module.path: module.pk for module in modules}
    query = Q()
    for module in modules:
        query |= Q(path__startswith=module.path, depth=module.depth + 1)
    lessons: dict[int, list[LessonPage]] = defaultdict(list)
    for lesson in LessonPage.objects.live().filter(query).defer("body").order_by("path"):
        module_pk = by_path.get(lesson.path[: -Page.steplen])
        if module_pk is not None:
            lessons[module_pk].append(lesson)
    return lessons


def progress_for(user, modules) -> dict[int, ModuleProgress]:
    """Progress of `user` in each of `modules` (seven queries, whatever their number)."""
    modules = list(modules)
    lessons = _lessons_by_module(modules)
    result = {m.pk: ModuleProgress(module=m) for m in modules}
    if not user.is_authenticated:
        for module in modules:
            result[module.pk].lessons = [
                LessonState(lesson, n, done=False, unlocked=False)
                for n, lesson in enumerate(lessons.get(module.pk, []), start=1)
            ]
        return result
    module_ids = [m.pk for m in modules]
    prerequisite_ids = {m.prerequisite_id for m in modules if m.prerequisite_id}
    done = {
        lesson_id: max(completed_at, reviewed_at or completed_at)
        for lesson_id, completed_at, reviewed_at in LessonCompletion.objects.filter(
            user=user, module_id__in=module_ids
        ).values_list("lesson_id", "completed_at", "reviewed_at")
    }
    certificates = {
        c.module_id: c
        for c in Certificate.objects.filter(
            user=user, module_id__in=set(module_ids) | prerequisite_ids
        )
    }
    enrolled = set(
        Enrollment.objects.filter(user=user, module_id__in=module_ids).values_list(
            "module_id", flat=True
        )
    )
    attempts = {
        row["module_id"]: row
        for row in QuizAttempt.objects.filter(user=user, module_id__in=module_ids)
        .values("module_id")
        .annotate(
            used=Count("pk"), passed=Count("pk", filter=Q(passed=True)), last=Max("created_at")
        )
    }
    granted = dict(
        AttemptGrant.objects.filter(user=user, module_id__in=module_ids)
        .values("module_id")
        .annotate(n=Sum("attempts"))
        .values_list("module_id", "n")
    )
    for module in modules:
        progress = result[module.pk]
        progress.enrolled = module.pk in enrolled
        progress.certificate = certificates.get(module.pk)
        row = attempts.get(module.pk, {})
        progress.attempts_used = row.get("used", 0)
        progress.last_attempt_at = row.get("last")
        progress.attempts_granted = granted.get(module.pk, 0)
        progress.passed = bool(row.get("passed")) or progress.completed
        progress.prerequisite_met = (
            not module.prerequisite_id or module.prerequisite_id in certificates
        )
        previous_done = True
        for number, lesson in enumerate(lessons.get(module.pk, []), start=1):
            is_done = lesson.pk in done
            unlocked = progress.prerequisite_met and (
                previous_done or not module.lessons_in_order or is_done
            )
            progress.lessons.append(
                LessonState(lesson, number, is_done, unlocked, read_at=done.get(lesson.pk))
            )
            previous_done = previous_done and is_done
    return result


def module_progress(user, module: TrainingModulePage) -> ModuleProgress:
    return progress_for(user, [module])[module.pk]


def my_modules(user):
    """Live modules for the beranda card: mandatory ones and those I started, mandatory first."""
    started = Enrollment.objects.filter(user=user).values("module_id")
    return (
        TrainingModulePage.objects.live()
        .filter(Q(mandatory=True) | Q(pk__in=started))
        .order_by("-mandatory", "path")
    )


def jp_this_year(user) -> int:
    return Certificate.objects.filter(user=user).in_year(timezone.localdate().year).jp_total()
