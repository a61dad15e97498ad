"""The staffing pages of supervisors and unit heads (issue 17): the team reassignment (Admin
BKPSDM and the holder of a unit's head post) and a supervisor's own rating delegations, with the
Beranda card that leads to them; and everyone's own post history (`my_posts`). Admin BKPSDM's
pages are in `portal.staffing.views`."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import authority
from portal.models import User

from . import batch, services
from .forms import (
    DelegationForm,
    TeamForm,
    page_status,
    service_arguments,
    submit_to_service,
)
from .models import ActingAppointment, Assignment, DesignatedRater, RatingDelegation

# --- Admin BKPSDM and unit heads: a departing supervisor's team to a successor -----------------


def may_use_team_page(user: User) -> bool:
    return services.may_manage_staffing(user) or bool(authority.head_rights(user))


@login_required
@require_http_methods(["GET", "POST"])
def staffing_team(request: HttpRequest) -> HttpResponse:
    """Pick the departing supervisor, the successor, a date and an SK; the confirmation lists
    who will move (and who would be refused, with why); confirming moves them in one call."""
    if not may_use_team_page(request.user):
        raise PermissionDenied
    form = TeamForm(request.POST or None, initial={"start": authority.today()})
    context: dict[str, Any] = {"section": "tim", "form": form}
    if request.method == "POST":
        confirm = request.POST.get("confirm") == "1"
        done, move = submit_to_service(
            form,
            lambda data: batch.reassign_team(
                actor=request.user,
                departing=data["departing_nip"],
                successor=data["successor_nip"],
                start=data["start"],
                sk_number=data["sk_number"],
                note=data["note"],
                people=data["people"] if confirm else None,
                dry_run=not confirm,
            ),
        )
        if done and confirm:
            messages.success(
                request,
                _("%(moved)s pegawai dipindahkan, %(refused)s ditolak.")
                % {"moved": len(move.moved), "refused": len(move.refused)},
            )
            return render(request, "portal/staffing/team_done.html", {**context, "move": move})
        if done and not move.moved and not move.refused:
            form.add_error(
                "departing_nip",
                _("%(name)s tidak memiliki bawahan pada tanggal itu.")
                % {"name": form.cleaned_data["departing_nip"].full_name},
            )
            done = False
        if done:
            people = ",".join(str(p.pk) for p in move.moved)
            form = TeamForm({**form.data.dict(), "people": people, "confirm": "1"})
            form.is_valid()
            context |= {"form": form, "move": move, "confirming": True}
        else:
            context["status"] = HTTPStatus.BAD_REQUEST
    status = context.pop("status", HTTPStatus.OK)
    return render(request, "portal/staffing/team.html", context, status=status)


# --- A supervisor's delegations ------------------------------------------------------------------


def _delegation_page(request: HttpRequest, form: DelegationForm | None = None) -> HttpResponse:
    user = request.user
    today = authority.today()
    return render(
        request,
        "portal/staffing/delegations.html",
        {
            "form": form or DelegationForm(initial={"start": today}),
            "has_bawahan": bool(authority.bawahan_ids_on(user)),
            "atasan": authority.atasan_on(user),
            "given": RatingDelegation.objects.filter(delegator=user)
            .select_related("delegate")
            .order_by("-start"),
            "received": RatingDelegation.objects.filter(delegate=user, end__gte=today)
            .select_related("delegator")
            .order_by("start"),
            "today": today,
        },
        status=page_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest) -> HttpResponse:
    """A supervisor going on leave lets their own atasan rate in their place for a while."""
    if request.method != "POST":
        return _delegation_page(request)
    form = DelegationForm(request.POST)
    done, delegation = submit_to_service(
        form,
        lambda data: services.delegate_rating(actor=request.user, **service_arguments(data)),
    )
    if not done:
        return _delegation_page(request, form)
    messages.success(
        request,
        _("Penilaian didelegasikan kepada %(name)s.") % {"name": delegation.delegate.full_name},
    )
    return redirect("portal:delegations")


@login_required
@require_POST
def delegation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(RatingDelegation, pk=pk, delegator=request.user)
    try:
        services.cancel_delegation(actor=request.user, delegation=delegation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Delegasi penilaian dibatalkan."))
    return redirect("portal:delegations")


def staffing_card_context(user: User) -> dict | None:
    """What the Beranda card shows (None: nothing): delegations received now or soon, and
    links for a supervisor (delegate) and a unit head (reassign a team)."""
    today = authority.today()
    received = list(
        RatingDelegation.objects.filter(delegate=user, end__gte=today)
        .select_related("delegator")
        .order_by("start")
    )
    supervisor = user.is_supervisor
    head = bool(authority.head_rights(user, today))
    if not (received or supervisor or head):
        return None
    return {"received": received, "supervisor": supervisor, "head": head, "today": today}


# --- everyone: their own post history -----------------------------------------------------------


@login_required
def my_posts(request: HttpRequest) -> HttpResponse:
    """What the register holds about my posts, read-only: every assignment (unit, jabatan,
    atasan, dates, SK), my acting appointments, the rater designated for me, and who rates me
    today. Changes are made by Admin BKPSDM; the page says so."""
    user = request.user
    day = authority.today()
    return render(
        request,
        "portal/staffing/mine.html",
        {
            "assignments": Assignment.objects.filter(person=user)
            .select_related("org_unit", "atasan")
            .order_by("-start", "-pk"),
            "acting": ActingAppointment.objects.filter(person=user)
            .select_related("org_unit")
            .order_by("-start"),
            "designated": DesignatedRater.objects.filter(person=user)
            .select_related("rater")
            .order_by("-start"),
            "current": authority.assignment_on(user, day),
            "atasan": authority.atasan_on(user, day),
            "rater": authority.designated_rater_on(user, day),
            "today": day,
        },
    )
