"""Admin BKPSDM: completion oversight and exports, JP confirmation, extra quiz attempts."""

import csv
from http import HTTPStatus
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from portal.decorators import bkpsdm_admin_required
from portal.exports import safe_cell
from portal.models import User

from .. import reports, services
from ..forms import GrantAttemptsForm
from ..models import AttemptGrant, ModuleConfirmation, QuizAttempt, TrainingModulePage
from .common import live_module, no_store


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
            "pager_query": urlencode({"modul": modules[selected].pk}) if modules else "",
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
    return no_store(response)


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
    return no_store(response)


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
    return no_store(
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
    module = live_module(module_id)
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
    return no_store(
        render(
            request,
            "training/attempts_admin.html",
            {
                "q": query,
                "page": page,
                "pager_query": urlencode({"q": query}),
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
