"""Learning: the per-person bits of the catalogue and module pages (htmx), lessons, the quiz."""

import uuid
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms import QuizForm
from ..models import LessonPage, QuizAttempt, TrainingModulePage
from ..progress import module_progress, progress_for
from .common import live_module, live_page, no_store, training_contact


@require_GET
def catalogue_status(request: HttpRequest) -> HttpResponse:
    """Badges and progress bars for the catalogue cards, swapped in out of band."""
    modules = TrainingModulePage.objects.live()
    progress = progress_for(request.user, modules) if request.user.is_authenticated else {}
    return no_store(
        render(
            request,
            "training/training_index_page.html#status",
            {"progress": progress.values()},
        )
    )


@require_GET
def module_progress_view(request: HttpRequest, module_id: int) -> HttpResponse:
    """The personal part of a module page. The first visit of a signed-in person enrols them."""
    module = live_module(module_id)
    if request.user.is_authenticated:
        services.enroll(user=request.user, module=module)
    progress = module_progress(request.user, module)
    return no_store(
        render(
            request,
            "training/training_module_page.html#progress",
            {
                "page": module,
                "progress": progress,
                "contact": training_contact(),
                "confirmed": module.current_confirmation() is not None,
            },
        )
    )


# --- lessons -------------------------------------------------------------------------------


def serve_lesson(request: HttpRequest, lesson: LessonPage) -> HttpResponse:
    """A live lesson (the "before_serve_page" hook): signed-in people only, locked lessons
    refused with a message. Previews never pass here (Wagtail serves them without the hook)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    module = lesson.get_parent().specific
    progress = module_progress(request.user, module)
    state = progress.state_of(lesson)
    context = {
        **lesson.get_context(request),
        "module": module,
        "progress": progress,
        "state": state,
        "next_state": progress.lesson_after(lesson),
    }
    if state is None or not state.unlocked:
        context["continue_state"] = progress.next_lesson()
        return no_store(
            TemplateResponse(
                request, "training/lesson_locked.html", context, status=HTTPStatus.FORBIDDEN
            )
        )
    services.enroll(user=request.user, module=module)
    return no_store(TemplateResponse(request, lesson.get_template(request), context))


@login_required
@require_POST
def complete_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = live_page(LessonPage.objects, lesson_id)
    module = lesson.get_parent().specific
    try:
        services.complete_lesson(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(module.url)
    progress = module_progress(request.user, module)
    if progress.completed:
        messages.success(request, _("Modul selesai. Sertifikat Anda sudah terbit."))
        return redirect(module.url)
    if progress.exhausted:
        # Re-reading for the retake policy: on to the next lesson still to re-read.
        if progress.lessons_to_reread:
            messages.info(request, _("Tercatat sudah dibaca ulang."))
            return redirect(progress.lessons_to_reread[0].lesson.url)
        return redirect(module.url)
    following = progress.lesson_after(lesson)
    if following is not None and following.unlocked and not following.done:
        return redirect(following.lesson.url)
    if progress.quiz_open:
        messages.success(request, _("Semua pelajaran selesai. Kuis sudah terbuka untuk Anda."))
        return redirect("training:quiz", module_id=module.pk)
    return redirect(module.url)


# --- quiz ----------------------------------------------------------------------------------

DUPLICATE_MESSAGE = _lazy(
    "Jawaban ini sudah dinilai sebelumnya; tidak dihitung sebagai percobaan baru."
)


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, module_id: int) -> HttpResponse:
    module = live_module(module_id)
    if request.method == "POST":
        previous = QuizAttempt.objects.filter(
            user=request.user, module=module, token=_uuid_or_none(request.POST.get("token", ""))
        ).first()
        if previous is not None:
            messages.info(request, DUPLICATE_MESSAGE)
            return redirect("training:attempt", pk=previous.pk)
    progress = module_progress(request.user, module)
    questions = [q.public() for q in module.questions()]
    if not progress.quiz_open:
        if progress.passed:
            messages.info(request, _("Anda sudah lulus kuis ini."))
        elif not progress.all_lessons_done or not progress.prerequisite_met:
            messages.warning(request, _("Kuis terbuka setelah semua pelajaran selesai."))
        elif module.has_quiz:
            messages.error(request, services.exhausted_message(progress))
        return redirect(module.url)
    if request.method == "POST":
        form = QuizForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                attempt = services.submit_quiz(
                    user=request.user,
                    module=module,
                    answers=form.answers(),
                    token=form.cleaned_data["token"],
                )
            except services.DuplicateSubmission as duplicate:
                messages.info(request, DUPLICATE_MESSAGE)
                return redirect("training:attempt", pk=duplicate.attempt.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("training:attempt", pk=attempt.pk)
    else:
        form = QuizForm(initial={"token": uuid.uuid4()}, questions=questions)
    return no_store(
        render(
            request,
            "training/quiz.html",
            {"module": module, "form": form, "progress": progress},
            status=HTTPStatus.OK if not form.errors else HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@login_required
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(QuizAttempt, pk=pk, user=request.user)
    module = attempt.module.specific
    progress = module_progress(request.user, module)
    # Correct choices are shown only after passing: a new round of attempts can always open
    # (retake policy), so they would help to pass. Explanations are shown after a submission.
    reveal = progress.passed
    review = []
    for question in module.questions():
        chosen = set(attempt.answers.get(question.id, []))
        review.append(
            {
                "question": question,
                "correct": chosen == question.correct_tokens,
                "choices": [
                    {
                        "text": choice.text,
                        "chosen": choice.token in chosen,
                        "is_correct": reveal and choice.is_correct,
                    }
                    for choice in question.choices
                ],
            }
        )
    return no_store(
        render(
            request,
            "training/quiz_result.html",
            {
                "attempt": attempt,
                "module": module,
                "progress": progress,
                "review": review,
                "reveal": reveal,
                "contact": training_contact(),
            },
        )
    )
