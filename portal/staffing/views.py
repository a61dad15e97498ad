"""The staffing pages (issue 17): Admin BKPSDM's riwayat jabatan, Plt/Plh and designated
raters, the team reassignment (Admin BKPSDM and unit heads) and a supervisor's delegations.

Front-end pages (Bootstrap, the "Kelola" menu) rather than the Wagtail admin: unit heads and
supervisors use them too, and they are not editors. Each view parses a form and calls
`portal.staffing.services`, which checks the rights again and says what is wrong in Indonesian;
a refused form is shown again with what was typed (status 400).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import authority
from portal.decorators import bkpsdm_admin_required
from portal.models import User
from portal.validators import normalize_nip

from . import services
from .checks import format_date
from .forms import (
    ActingForm,
    DesignateForm,
    EndActingForm,
    EndAssignmentForm,
    PersonSearchForm,
    TransferForm,
    page_status,
    service_arguments,
    submit_to_service,
)
from .models import ActingAppointment, Assignment, DesignatedRater

PAGE_SIZE = 25
ENDED_SHOWN = 50


# --- Admin BKPSDM: find a person, their riwayat jabatan ---------------------------------------


@bkpsdm_admin_required
@require_GET
def staffing_home(request: HttpRequest) -> HttpResponse:
    """Search by NIP or name; each result leads to the person's riwayat jabatan."""
    form = PersonSearchForm(request.GET)
    query = form.data.get("q", "").strip()[:100]
    page = None
    if query:
        people = User.objects.filter(
            Q(nip=normalize_nip(query)) | Q(full_name__icontains=query)
        ).select_related("org_unit")
        page = Paginator(people.order_by("full_name"), PAGE_SIZE).get_page(
            request.GET.get("halaman")
        )
    return render(
        request,
        "portal/staffing/home.html",
        {
            "section": "riwayat",
            "form": form,
            "query": query,
            "page": page,
            "pager_query": urlencode({"q": query}),
        },
    )


def _person_page(
    request: HttpRequest,
    person: User,
    *,
    transfer: TransferForm | None = None,
    end: EndAssignmentForm | None = None,
) -> HttpResponse:
    assignments = (
        Assignment.objects.filter(person=person)
        .select_related("org_unit", "atasan", "recorded_by")
        .order_by("-start")
    )
    current = authority.assignment_on(person)
    if transfer is None:
        initial = {"start": authority.today()}
        if current is not None:
            initial |= {
                "org_unit": current.org_unit_id,
                "jabatan": current.jabatan,
                "jenis_jabatan": current.jenis_jabatan,
                "atasan_nip": current.atasan.nip if current.atasan_id else "",
                "is_head": current.is_head,
            }
        transfer = TransferForm(initial=initial)
    return render(
        request,
        "portal/staffing/person.html",
        {
            "section": "riwayat",
            "person": person,
            "assignments": assignments,
            "current": current,
            "acting": person.acting_appointments.select_related("org_unit").order_by("-start"),
            "transfer": transfer,
            "end_form": end or EndAssignmentForm(initial={"end": authority.today()}),
        },
        status=page_status(request),
    )


@bkpsdm_admin_required
@require_GET
def staffing_person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, get_object_or_404(User, pk=pk))


@bkpsdm_admin_required
@require_POST
def staffing_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a transfer or promotion on an SK (`assign`, source "sk")."""
    person = get_object_or_404(User, pk=pk)
    form = TransferForm(request.POST)
    done, assignment = submit_to_service(
        form,
        lambda data: services.assign(
            actor=request.user,
            person=person,
            source=Assignment.Source.SK,
            **service_arguments(data),
        ),
    )
    if not done:
        return _person_page(request, person, transfer=form)
    messages.success(
        request,
        _("Penempatan %(name)s dicatat: %(post)s, mulai %(date)s.")
        % {"name": person.full_name, "post": assignment, "date": format_date(assignment.start)},
    )
    return redirect("portal:staffing_person", pk=person.pk)


@bkpsdm_admin_required
@require_POST
def staffing_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the assignment in effect (retirement, moving out) with a reason."""
    person = get_object_or_404(User, pk=pk)
    form = EndAssignmentForm(request.POST)
    done, _row = submit_to_service(
        form,
        lambda data: services.end_assignment(
            actor=request.user, person=person, **service_arguments(data)
        ),
    )
    if not done:
        return _person_page(request, person, end=form)
    messages.success(request, _("Penempatan %(name)s diakhiri.") % {"name": person.full_name})
    return redirect("portal:staffing_person", pk=person.pk)


# --- Admin BKPSDM: Plt/Plh --------------------------------------------------------------------


def _acting_page(
    request: HttpRequest,
    form: ActingForm | None = None,
    end_forms: dict[int, EndActingForm] | None = None,
) -> HttpResponse:
    today = authority.today()
    rows = ActingAppointment.objects.select_related("person", "org_unit", "recorded_by")
    end_forms = end_forms or {}
    current = list(rows.on(today).order_by("end"))
    upcoming = list(rows.filter(start__gt=today).order_by("start"))
    for acting in (*current, *upcoming):
        acting.end_form = end_forms.get(acting.pk) or EndActingForm(
            prefix=f"a{acting.pk}", initial={"end": max(today, acting.start)}
        )
    return render(
        request,
        "portal/staffing/acting.html",
        {
            "section": "plt",
            "form": form or ActingForm(initial={"start": today}),
            "current": current,
            "upcoming": upcoming,
            "ended": rows.filter(end__lt=today).order_by("-end")[:ENDED_SHOWN],
        },
        status=page_status(request),
    )


@bkpsdm_admin_required
@require_http_methods(["GET", "POST"])
def staffing_acting(request: HttpRequest) -> HttpResponse:
    """The Plt/Plh list (in effect, coming, ended) and the form to record one."""
    if request.method != "POST":
        return _acting_page(request)
    form = ActingForm(request.POST)
    done, acting = submit_to_service(
        form,
        lambda data: services.record_acting(actor=request.user, **service_arguments(data)),
    )
    if not done:
        return _acting_page(request, form=form)
    messages.success(
        request,
        _("%(kind)s %(unit)s, %(start)s – %(end)s, dicatat untuk %(name)s.")
        % {
            "kind": acting.get_kind_display(),
            "unit": acting.org_unit,
            "start": format_date(acting.start),
            "end": format_date(acting.end),
            "name": acting.person.full_name,
        },
    )
    return redirect("portal:staffing_acting")


@bkpsdm_admin_required
@require_POST
def staffing_acting_end(request: HttpRequest, pk: int) -> HttpResponse:
    acting = get_object_or_404(ActingAppointment, pk=pk)
    form = EndActingForm(request.POST, prefix=f"a{acting.pk}")
    done, _row = submit_to_service(
        form,
        lambda data: services.end_acting(
            actor=request.user, acting=acting, **service_arguments(data)
        ),
    )
    if not done:
        return _acting_page(request, end_forms={acting.pk: form})
    messages.success(request, _("Plt/Plh diakhiri lebih awal."))
    return redirect("portal:staffing_acting")


# --- Admin BKPSDM: designated raters ------------------------------------------------------------


@bkpsdm_admin_required
@require_GET
def staffing_raters(request: HttpRequest) -> HttpResponse:
    """People with a unit and no atasan in the portal today (OPD heads, mostly) and who rates
    them: their designated rater, or "belum ditunjuk"."""
    people = (
        User.objects.active()
        .filter(org_unit__isnull=False, atasan__isnull=True)
        .select_related("org_unit")
        .order_by("org_unit__name", "full_name")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("halaman"))
    designated = {
        row.person_id: row
        for row in DesignatedRater.objects.on(authority.today())
        .filter(person__in=page.object_list)
        .select_related("rater")
    }
    rows = [(person, designated.get(person.pk)) for person in page.object_list]
    return render(
        request,
        "portal/staffing/raters.html",
        {"section": "penilai", "page": page, "rows": rows},
    )


@bkpsdm_admin_required
@require_http_methods(["GET", "POST"])
def staffing_designate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("org_unit"), pk=pk)
    form = DesignateForm(request.POST or None, initial={"start": authority.today()})
    if request.method == "POST":
        done, designated = submit_to_service(
            form,
            lambda data: services.designate_rater(
                actor=request.user, person=person, **service_arguments(data)
            ),
        )
        if done:
            messages.success(
                request,
                _("Penilai %(name)s kini %(rater)s.")
                % {"name": person.full_name, "rater": designated.rater_label},
            )
            return redirect("portal:staffing_raters")
    return render(
        request,
        "portal/staffing/designate.html",
        {
            "section": "penilai",
            "person": person,
            "form": form,
            "history": person.designated_raters.select_related("rater").order_by("-start"),
        },
        status=page_status(request),
    )
