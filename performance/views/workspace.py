"""The performance workspace (beranda kinerja), the supervisor's team and cascade pages, the old notification route."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from performance import rights, services
from performance.forms import (
    BulkApproveForm,
    SkpCreateForm,
)
from performance.models import (
    Cycle,
    PeriodicReport,
    ReportEvent,
    ReportingPeriod,
    Rhk,
    Skp,
    cycle_day,
    skp_on,
    today,
)
from performance.services import leaders
from portal.models import User

from .common import error_text, paginate

# --- workspace ---------------------------------------------------------------------------


def _chart_data(skp: Skp | None, reports: list[PeriodicReport]) -> dict:
    """Target vs realisasi per indicator: one dataset per period with a report."""
    if skp is None:
        return {}
    indicators = [i for rhk in skp.rhks.all() for i in rhk.indicators.all()]
    datasets = []
    for report in reports:
        values = {r.indicator_id: r.value for r in report.realisasi.all()}
        datasets.append(
            {
                "label": str(report.period.label),
                "data": [
                    float(values[i.pk]) if values.get(i.pk) is not None else None
                    for i in indicators
                ],
            }
        )
    return {
        "labels": [f"{i.text} ({i.unit})" for i in indicators],
        "target": [float(i.target) for i in indicators],
        "target_label": _("Target"),
        "datasets": datasets,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = Cycle.objects.current()
    skp = None
    rows = []
    chart = {}
    year_skps: list[Skp] = []
    if cycle:
        # Every SKP of the year (more than one after a transfer): each period is reported on
        # the SKP that takes it (`Skp.takes_period`); "my SKP" is the one in force today.
        year_skps = list(
            Skp.objects.filter(employee=user, cycle=cycle)
            .select_related("assignment__org_unit")
            .prefetch_related("rhks__indicators")
            .order_by("starts_on")
        )
        skp = skp_on(year_skps, cycle_day(cycle.year, today()))
        periods = list(cycle.periods.order_by("start"))
        reports = {
            (r.skp_id, r.period_id): r
            for r in PeriodicReport.objects.filter(skp__in=year_skps)
            .select_related("period__cycle")
            .prefetch_related("realisasi")
        }
        current = ReportingPeriod.objects.current(cycle)
        for period in periods:
            owner = next((s for s in year_skps if s.takes_period(period)), None)
            report = reports.get((owner.pk, period.pk)) if owner else None
            rows.append(
                {
                    "period": period,
                    "skp": owner,
                    "report": report,
                    "earlier": owner is not None and skp is not None and owner.pk != skp.pk,
                    "current": current is not None and period.pk == current.pk,
                    "overdue": owner is not None and period.is_overdue_for(report),
                    "future": period.start > today(),
                }
            )
        chart = _chart_data(
            skp,
            [
                r
                for (skp_pk, _p), r in reports.items()
                if skp and skp_pk == skp.pk and r.submitted_at
            ],
        )
    events = (
        ReportEvent.objects.filter(report__skp__employee=user)
        .select_related("actor", "report__period__cycle")
        .order_by("-at", "-pk")
    )
    return render(
        request,
        "performance/home.html",
        {
            "section": "mine",
            "cycle": cycle,
            "skp": skp,
            "year_skps": year_skps if len(year_skps) > 1 else [],
            "rows": rows,
            "chart": chart,
            "events": paginate(request, events, 10),
            "create_form": SkpCreateForm(),
            "can_create": cycle is not None
            and cycle.is_open
            and not any(s.ends_on is None for s in year_skps),
            "other_skps": Skp.objects.filter(employee=user)
            .exclude(cycle=cycle)
            .select_related("cycle"),
            "is_supervisor": user.is_supervisor,
        },
    )


@login_required
@require_POST
def skp_create(request: HttpRequest) -> HttpResponse:
    cycle = Cycle.objects.current()
    if cycle is None:
        raise Http404
    form = SkpCreateForm(request.POST)
    if form.is_valid():
        try:
            skp = services.create_skp(
                employee=request.user, cycle=cycle, pendekatan=form.cleaned_data["pendekatan"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("performance:home")
        messages.success(request, _("SKP dibuat. Tambahkan RHK dan indikatornya."))
        return redirect(skp)
    return redirect("performance:home")


# --- supervisors ---------------------------------------------------------------------------


TEAM_ELSEWHERE_LIMIT = 50


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    return _render_team(request)


def _render_team(request: HttpRequest, status: int = 200, **bulk) -> HttpResponse:
    """The team page; `bulk` carries the bulk approval's form, confirmation or selection."""
    user = request.user
    cycle = Cycle.objects.current()
    periods = list(cycle.periods.order_by("start")) if cycle else []
    period = None
    raw = request.GET.get("periode", "")
    if raw.isascii() and raw.isdigit():  # str.isdigit() alone lets "²" through to int()
        period = next((p for p in periods if p.pk == int(raw)), None)
    period = period or (ReportingPeriod.objects.current(cycle) if cycle else None)
    # Who `user` rates today: their bawahan and the people they rate as Plt/Plh, delegate or
    # designated rater (performance.rights); each with the SKP that takes the period.
    capacities = rights.team(user)
    members = rights.team_members(user, capacities=capacities).select_related("org_unit")
    page = paginate(request, members.order_by("full_name", "pk"), 25)
    people = list(page.object_list)
    member_skps: dict[int, list[Skp]] = defaultdict(list)
    for skp in Skp.objects.filter(cycle=cycle, employee__in=people):
        member_skps[skp.employee_id].append(skp)
    # The member's report of the period: the submitted one (after a transfer maybe on the SKP
    # before), else the draft on the SKP that takes the period.
    skp_by_pk = {s.pk: s for owned in member_skps.values() for s in owned}

    def rank(r: PeriodicReport) -> tuple:
        return (r.submitted_at is not None, skp_by_pk[r.skp_id].takes_period(period))

    reports: dict[int, PeriodicReport] = {}
    for r in PeriodicReport.objects.filter(period=period, skp_id__in=skp_by_pk):
        employee_id = skp_by_pk[r.skp_id].employee_id
        if employee_id not in reports or rank(r) > rank(reports[employee_id]):
            reports[employee_id] = r
    rows = []
    for person in people:
        report = reports.get(person.pk)
        owned = member_skps.get(person.pk, [])
        taking = [s for s in owned if period and s.takes_period(period)]
        skp = (
            next((s for s in owned if report and s.pk == report.skp_id), None)
            or (taking[0] if taking else None)
            or skp_on(owned, cycle_day(cycle.year, today()))
        )
        rows.append(
            {
                "person": person,
                "skp": skp,
                "report": report,
                "earlier": skp is not None and skp.is_closed,
                "capacity": rights.CAPACITY_LABELS.get(capacities.get(person.pk), ""),
                "overdue": bool(period) and period.is_overdue_for(report),
            }
        )
    waiting = PeriodicReport.objects.waiting_for(user)
    # What the banner counts and the table above does not show (a late report of an earlier
    # period, someone no longer in the team): listed with the table, marked, so both agree.
    elsewhere = (
        waiting.exclude(period=period, skp__employee__in=members)
        .select_related("skp__employee", "period__cycle")
        .order_by("period__start", "skp__employee__full_name", "pk")
    )
    elsewhere_rows = list(elsewhere[:TEAM_ELSEWHERE_LIMIT])
    awaiting = _awaiting_approval(user)
    approvals = list(awaiting[: BulkApproveForm.MAX])
    return render(
        request,
        "performance/team.html",
        {
            "approvals": approvals,
            "approvals_total": awaiting.count()
            if len(approvals) == BulkApproveForm.MAX
            else len(approvals),
            "selected": bulk.get("selected", ()),
            "bulk_form": bulk.get("bulk_form"),
            "bulk_preview": bulk.get("bulk_preview"),
            "section": "team",
            "cycle": cycle,
            "period": period,
            "periods": periods,
            "rows": rows,
            "page": page,
            "waiting": waiting.count(),
            "elsewhere": elsewhere_rows,
            "elsewhere_more": (
                elsewhere.count() - TEAM_ELSEWHERE_LIMIT
                if len(elsewhere_rows) == TEAM_ELSEWHERE_LIMIT
                else 0
            ),
        },
        status=status,
    )


def _awaiting_approval(user: User):
    return (
        leaders.awaiting_approval_by(user)
        .select_related("employee", "cycle")
        .order_by("-cycle__year", "employee__full_name", "pk")
    )


@login_required
@require_POST
def skp_bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the SKPs ticked on the team page: first a confirmation listing each one (and why
    any would be refused), then each goes through `services.approve_skp`; a summary follows."""
    user = request.user
    data = request.POST
    if data.get("semua"):  # "Pilih semua" without JavaScript: every SKP the list shows
        data = data.copy()
        ids = _awaiting_approval(user).values_list("pk", flat=True)[: BulkApproveForm.MAX]
        data.setlist("skp", [str(pk) for pk in ids])
    form = BulkApproveForm(data)
    if not form.is_valid():
        return _render_team(request, status=400, bulk_form=form)
    ids = form.cleaned_data["skp"]
    if "ubah" in data:  # back from the confirmation, the ticks kept
        return _render_team(request, selected=ids)
    skps = list(
        Skp.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("employee", "cycle")
        .order_by("employee__full_name", "pk")
    )
    unknown = len(ids) - len(skps)
    if data.get("konfirmasi") != "ya":
        rows = [(skp, services.approval_refusal(actor=user, skp=skp)) for skp in skps]
        preview = {
            "rows": rows,
            "ok": sum(1 for _skp, reason in rows if not reason),
            "unknown": unknown,
        }
        return _render_team(request, selected=ids, bulk_preview=preview)
    result = services.approve_skps(actor=user, skps=skps)
    # Partly done is not a refusal: what was refused is a warning beside the success.
    level = messages.WARNING if result.done else messages.ERROR
    if result.done:
        names = ", ".join(skp.employee.full_name for skp in result.done)
        messages.success(
            request,
            ngettext(
                "%(n)s SKP disetujui: %(names)s.",
                "%(n)s SKP disetujui: %(names)s.",
                len(result.done),
            )
            % {"n": len(result.done), "names": names},
        )
    for skp, reason in result.refused:
        messages.add_message(
            request,
            level,
            _("Tidak disetujui: %(name)s (SKP %(year)s): %(reason)s")
            % {"name": skp.employee.full_name, "year": skp.cycle.year, "reason": reason},
        )
    if unknown:
        messages.add_message(
            request,
            level,
            ngettext(
                "%(n)s pilihan tidak ditemukan atau bukan wewenang Anda.",
                "%(n)s pilihan tidak ditemukan atau bukan wewenang Anda.",
                unknown,
            )
            % {"n": unknown},
        )
    return redirect("performance:team")


@login_required
@require_GET
def cascade_matrix(request: HttpRequest, user_pk: int | None = None) -> HttpResponse:
    """Who intervenes which RHK: the atasan's RHK (rows) x the bawahan (columns)."""
    viewer = request.user
    head = viewer if user_pk is None else get_object_or_404(User, pk=user_pk)
    allowed = (
        head.pk == viewer.pk
        or viewer.atasan_id == head.pk
        or any(a.pk == viewer.pk for a in head.atasan_chain())
        or viewer.is_bkpsdm_admin
    )
    if not allowed:
        raise Http404
    cycle = Cycle.objects.current()
    skp = Skp.objects.current_for(head, cycle=cycle) if cycle else None
    parents = list(skp.rhks.all()) if skp else []
    children = (
        Rhk.objects.filter(parent_rhk__in=parents)
        .select_related("skp__employee")
        .order_by("skp__employee__full_name", "pk")
    )
    people: dict[int, User] = {}
    cells: dict[tuple[int, int], list[Rhk]] = defaultdict(list)
    for child in children:
        people.setdefault(child.skp.employee_id, child.skp.employee)
        cells[(child.parent_rhk_id, child.skp.employee_id)].append(child)
    columns = sorted(people.values(), key=lambda p: p.full_name)
    matrix = [
        {"rhk": parent, "cells": [cells.get((parent.pk, p.pk), []) for p in columns]}
        for parent in parents
    ]
    return render(
        request,
        "performance/matrix.html",
        {
            "section": "matrix",
            "head": head,
            "cycle": cycle,
            "skp": skp,
            "columns": columns,
            "matrix": matrix,
        },
    )


# --- notifications -------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """Moved to /notifikasi/ (portal: every app notifies); kept for bookmarks and old forms."""
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
    return redirect("portal:notifications")
