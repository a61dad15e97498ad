import csv
import uuid
from http import HTTPStatus
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from portal.decorators import bkpsdm_admin_required
from portal.exports import safe_cell
from portal.models import ADMIN_BKPSDM, User

from . import reports, services
from .certificates import display_nip, issued_on, render_pdf
from .forms import GrantAttemptsForm, QuizForm
from .models import (
    AttemptGrant,
    Certificate,
    LessonPage,
    ModuleConfirmation,
    QuizAttempt,
    TrainingModulePage,
)
from .progress import module_progress, progress_for

# Page ids beyond 64 bits: SQLite raises OverflowError in a page-pointer lookup, so refuse first.
PAGE_ID_MAX = 2**63 - 1


def _live_page(queryset, pk: int):
    if pk > PAGE_ID_MAX:
        raise Http404
    return get_object_or_404(queryset.live(), pk=pk)


def _live_module(module_id: int) -> TrainingModulePage:
    return _live_page(TrainingModulePage.objects, module_id)


def training_contact() -> dict:
    """Who to contact about training: the settings, else the first active Admin BKPSDM."""
    email = settings.TRAINING_CONTACT_EMAIL
    if not email:
        email = (
            User.objects.active()
            .filter(groups__name=ADMIN_BKPSDM)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", flat=True)
            .first()
        ) or ""
    return {
        "name": settings.TRAINING_CONTACT_NAME,
        "email": email,
        "phone": settings.TRAINING_CONTACT_PHONE,
    }


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
                "contact": training_contact(),
            },
        )
    )


# --- certificates --------------------------------------------------------------------------


@require_GET
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """/sertifikat/: type or paste a certificate code, go to its verification page."""
    typed = request.GET.get("kode", "")[:200]
    code = "".join(ch for ch in typed.upper() if ch.isalnum())
    error = ""
    if "kode" in request.GET:
        if not code:
            error = _("Tuliskan kode sertifikat (16 karakter, huruf A–Z dan angka 2–7).")
        elif Certificate.objects.filter(code=code).exists():
            return redirect("training:certificate", code=code)
        else:
            error = _(
                "Tidak ada sertifikat dengan kode “%(code)s”. Periksa lagi kodenya: huruf A–Z "
                "dan angka 2–7, tanpa spasi (angka 0, 1, 8 dan 9 tidak dipakai; mungkin yang "
                "dimaksud huruf O, I atau B). Atau pindai kode QR pada sertifikat."
            ) % {"code": typed.strip()}
    return render(
        request,
        "training/certificate_lookup.html",
        {"typed": typed, "error": error},
        status=HTTPStatus.NOT_FOUND if error and code else HTTPStatus.OK,
    )


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


@bkpsdm_admin_required
@require_GET
def oversight(request: HttpRequest) -> HttpResponse:
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


def _oversight_table() -> tuple[list[str], list[list]]:
    """Header and rows of the completion export (cells neutralised against formulas)."""
    modules = list(TrainingModulePage.objects.live().order_by("-mandatory", "path"))
    rows = reports.completion_by_opd(modules)
    header = [_("Perangkat Daerah"), _("Jumlah pegawai")]
    for module in modules:
        header += [f"{module.title} ({_('selesai')})", f"{module.title} (%)"]
    lines = []
    for row in rows:
        line = [row.name, row.employees]
        for cell in row.cells:
            line += [cell.done, cell.percent]
        lines.append(line)
    return [safe_cell(h) for h in header], [[safe_cell(v) for v in line] for line in lines]


@bkpsdm_admin_required
@require_GET
def oversight_csv(request: HttpRequest) -> HttpResponse:
    """CSV kept for existing users; `;`-separated with a BOM so Indonesian Excel (whose list
    separator is `;`, the decimal comma being `,`) opens it in columns. XLSX is preferred."""
    header, lines = _oversight_table()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="penyelesaian-pelatihan.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(lines)
    return _private(response)


@bkpsdm_admin_required
@require_GET
def oversight_xlsx(request: HttpRequest) -> HttpResponse:
    header, lines = _oversight_table()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Penyelesaian pelatihan"))[:31])
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="penyelesaian-pelatihan.xlsx"'
    return _private(response)


# --- JP confirmation (Admin BKPSDM): four eyes on what grants JP and points ---------------


@bkpsdm_admin_required
@require_GET
def confirmations(request: HttpRequest) -> HttpResponse:
    """Live modules with their JP and "wajib", and whether Admin BKPSDM confirmed them."""
    latest = ModuleConfirmation.objects.filter(module=OuterRef("pk")).order_by(
        "-confirmed_at", "-pk"
    )
    modules = (
        TrainingModulePage.objects.live()
        .annotate(
            confirmed_jp=Subquery(latest.values("jp")[:1]),
            confirmed_mandatory=Subquery(latest.values("mandatory")[:1]),
            confirmed_at=Subquery(latest.values("confirmed_at")[:1]),
        )
        .order_by("-mandatory", "path")
    )
    page = Paginator(modules, 25).get_page(request.GET.get("halaman"))
    for module in page:
        module.is_confirmed = (module.confirmed_jp, module.confirmed_mandatory) == (
            module.jp_hours,
            module.mandatory,
        )
    return _private(
        render(
            request,
            "training/confirmations.html",
            {
                "modules": page,
                "jp_max": settings.TRAINING_JP_MAX_PER_MODULE,
                "points": settings.TRAINING_POINTS_PER_MODULE,
                "points_max": settings.TRAINING_POINTS_MAX_PER_YEAR,
            },
        )
    )


@bkpsdm_admin_required
@require_POST
def confirm_module(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _live_module(module_id)
    # The values the admin saw; an edit published meanwhile must be looked at again.
    seen = (request.POST.get("jp", ""), request.POST.get("mandatory", ""))
    if seen != (str(module.jp_hours), "1" if module.mandatory else "0"):
        messages.error(
            request,
            _("JP atau status wajib modul “%(title)s” berubah sejak halaman dibuka. Periksa lagi.")
            % {"title": module.title},
        )
        return redirect("training:confirmations")
    try:
        services.confirm_module(
            module=module, by=request.user, note=request.POST.get("note", "")[:1000]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("JP dan status wajib modul “%(title)s” disahkan.") % {"title": module.title},
        )
    return redirect("training:confirmations")


# --- quiz attempts (Admin BKPSDM): find the person, see attempts, grant more ---------------


def _attempt_rows(query: str, page_number: str | None):
    """People with failed attempts and no pass, per module, latest first (fixed queries)."""
    pairs = (
        QuizAttempt.objects.values("user_id", "module_id")
        .annotate(
            used=Count("pk"), passes=Count("pk", filter=Q(passed=True)), last=Max("created_at")
        )
        .filter(passes=0, user__is_active=True)
        .order_by("-last", "user_id", "module_id")
    )
    if query:
        pairs = pairs.filter(
            Q(user__full_name__icontains=query) | Q(user__nip__startswith=query.replace(" ", ""))
        )
    page = Paginator(pairs, 25).get_page(page_number)
    rows = list(page)
    users = User.objects.select_related("org_unit").in_bulk({r["user_id"] for r in rows})
    modules = TrainingModulePage.objects.in_bulk({r["module_id"] for r in rows})
    granted = {
        (g["user_id"], g["module_id"]): g["n"]
        for g in AttemptGrant.objects.filter(user_id__in=users.keys(), module_id__in=modules.keys())
        .values("user_id", "module_id")
        .annotate(n=Sum("attempts"))
    }
    for row in rows:
        row["user"] = users[row["user_id"]]
        row["module"] = module = modules[row["module_id"]]
        row["granted"] = granted.get((row["user_id"], row["module_id"]), 0)
        limit = module.attempt_limit
        row["left"] = max(limit + row["granted"] - row["used"], 0) if limit else None
    return page, rows


def _attempts_page(request: HttpRequest, form=None, status=HTTPStatus.OK) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page, rows = _attempt_rows(query, request.GET.get("halaman"))
    history = AttemptGrant.objects.select_related("user", "module", "granted_by")[:20]
    return _private(
        render(
            request,
            "training/attempts_admin.html",
            {
                "q": query,
                "page": page,
                "rows": rows,
                "history": history,
                "form": form,
                "choices": GrantAttemptsForm.base_fields["attempts"].choices,
                "wait_hours": settings.TRAINING_QUIZ_RETRY_WAIT_HOURS,
            },
            status=status,
        )
    )


@bkpsdm_admin_required
@require_GET
def attempts_admin(request: HttpRequest) -> HttpResponse:
    return _attempts_page(request)


@bkpsdm_admin_required
@require_POST
def grant_attempts(request: HttpRequest) -> HttpResponse:
    form = GrantAttemptsForm(request.POST)
    if form.is_valid():
        person = User.objects.active().filter(pk=form.cleaned_data["user"]).first()
        module = TrainingModulePage.objects.live().filter(pk=form.cleaned_data["module"]).first()
        if person is None or module is None:
            form.add_error(None, _("Pegawai atau modul tidak ditemukan. Muat ulang halaman."))
        else:
            try:
                services.grant_attempts(
                    user=person,
                    module=module,
                    attempts=form.cleaned_data["attempts"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(name)s mendapat %(n)s percobaan tambahan untuk “%(title)s”.")
                    % {
                        "name": person.full_name,
                        "n": form.cleaned_data["attempts"],
                        "title": module.title,
                    },
                )
                return redirect("training:attempts_admin")
    return _attempts_page(request, form=form)
