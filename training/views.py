import csv
import uuid
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import reports, services
from .certificates import display_nip, issued_on, render_pdf
from .forms import QuizForm
from .models import Certificate, LessonPage, QuizAttempt, TrainingModulePage
from .progress import module_progress, progress_for

# Page ids beyond 64 bits: SQLite raises OverflowError in a page-pointer lookup, so refuse first.
PAGE_ID_MAX = 2**63 - 1


def _live_page(queryset, pk: int):
    if pk > PAGE_ID_MAX:
        raise Http404
    return get_object_or_404(queryset.live(), pk=pk)


def _live_module(module_id: int) -> TrainingModulePage:
    return _live_page(TrainingModulePage.objects, module_id)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# --- per-user bits of the (cacheable) catalogue and module pages, loaded with htmx ---------


@require_GET
def catalogue_status(request: HttpRequest) -> HttpResponse:
    """Badges and progress bars for the catalogue cards, swapped in out of band."""
    modules = TrainingModulePage.objects.live()
    progress = progress_for(request.user, modules) if request.user.is_authenticated else {}
    return _private(
        render(
            request,
            "training/training_index_page.html#status",
            {"progress": progress.values()},
        )
    )


@require_GET
def module_progress_view(request: HttpRequest, module_id: int) -> HttpResponse:
    """The personal part of a module page. The first visit of a signed-in person enrols them."""
    module = _live_module(module_id)
    if request.user.is_authenticated:
        services.enroll(user=request.user, module=module)
    progress = module_progress(request.user, module)
    return _private(
        render(
            request,
            "training/training_module_page.html#progress",
            {"page": module, "progress": progress},
        )
    )


# --- lessons -------------------------------------------------------------------------------


def serve_lesson(request: HttpRequest, lesson: LessonPage, default_serve) -> HttpResponse:
    """LessonPage.serve: signed-in people only, locked lessons refused with a message."""
    if getattr(request, "is_preview", False):
        return default_serve(request)
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
        return _private(
            TemplateResponse(
                request, "training/lesson_locked.html", context, status=HTTPStatus.FORBIDDEN
            )
        )
    services.enroll(user=request.user, module=module)
    return _private(TemplateResponse(request, lesson.get_template(request), context))


@login_required
@require_POST
def complete_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _live_page(LessonPage.objects, lesson_id)
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
    module = _live_module(module_id)
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
            messages.error(
                request,
                _("Batas percobaan kuis sudah habis. Hubungi Admin BKPSDM untuk pendampingan."),
            )
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
    return _private(
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
    # Correct choices are shown once they no longer help to pass: after passing, or when
    # no attempt is left. Explanations are always shown after a submission.
    reveal = attempt.passed or progress.attempts_left == 0
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
    return _private(
        render(
            request,
            "training/quiz_result.html",
            {
                "attempt": attempt,
                "module": module,
                "progress": progress,
                "review": review,
                "reveal": reveal,
            },
        )
    )


# --- certificates --------------------------------------------------------------------------


@require_GET
def certificate_check(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        return render(
            request,
            "training/certificate_unknown.html",
            {"code": code},
            status=HTTPStatus.NOT_FOUND,
        )
    return render(
        request,
        "training/certificate_check.html",
        {
            "certificate": certificate,
            "issued_on": issued_on(certificate),
            "nip": display_nip(certificate.holder_nip),
            "is_owner": request.user.is_authenticated and request.user.pk == certificate.user_id,
        },
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or not (
        certificate.user_id == request.user.pk or request.user.is_bkpsdm_admin
    ):
        raise Http404
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.code}.pdf"'
    return _private(response)


# --- oversight (Admin BKPSDM) --------------------------------------------------------------


def _require_bkpsdm(request: HttpRequest) -> None:
    if not request.user.is_bkpsdm_admin:
        raise PermissionDenied


@login_required
@require_GET
def oversight(request: HttpRequest) -> HttpResponse:
    _require_bkpsdm(request)
    modules = list(TrainingModulePage.objects.live().order_by("-mandatory", "path"))
    rows = reports.completion_by_opd(modules)
    selected = next((i for i, m in enumerate(modules) if str(m.pk) == request.GET.get("modul")), 0)
    chart = {
        "labels": [row.name for row in rows],
        "values": [row.cells[selected].percent for row in rows] if modules else [],
        "label": modules[selected].title if modules else "",
    }
    return render(
        request,
        "training/oversight.html",
        {
            "modules": modules,
            "selected": modules[selected] if modules else None,
            "rows": Paginator(rows, 25).get_page(request.GET.get("halaman")),
            "totals": reports.totals(rows, len(modules)),
            "chart": chart,
        },
    )


@login_required
@require_GET
def oversight_csv(request: HttpRequest) -> HttpResponse:
    _require_bkpsdm(request)
    modules = list(TrainingModulePage.objects.live().order_by("-mandatory", "path"))
    rows = reports.completion_by_opd(modules)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="penyelesaian-pelatihan.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response)
    header = [_("Perangkat Daerah"), _("Jumlah pegawai")]
    for module in modules:
        header += [f"{module.title} ({_('selesai')})", f"{module.title} (%)"]
    writer.writerow(header)
    for row in rows:
        line = [row.name, row.employees]
        for cell in row.cells:
            line += [cell.done, cell.percent]
        writer.writerow(line)
    return response
