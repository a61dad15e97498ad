"""Planning pages: the SKP with its RHK, indicators and expectations; Admin BKPSDM's cycles and periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from performance import rights, services
from performance.forms import (
    CycleForm,
    ExpectationForm,
    IndicatorForm,
    PeriodForm,
    ReturnForm,
    RhkForm,
    SkpDetailsForm,
)
from performance.models import (
    Cycle,
    Indicator,
    RecordVersion,
    Rhk,
    Skp,
    today,
    value_choices,
)
from portal.decorators import bkpsdm_admin_required

from .common import apply_errors, error_text, form_post, paginate, post_and_redirect, visible_or_404

# --- SKP ----------------------------------------------------------------------------------


def get_skp(request: HttpRequest, pk: int) -> Skp:
    """The SKP with its people, cycle and post, if the user may see it (404 otherwise)."""
    related = ("employee", "cycle", "pejabat_penilai", "atasan_pejabat_penilai", "assignment")
    return visible_or_404(request, Skp.objects.select_related(*related), pk)


def _render_skp(request: HttpRequest, skp: Skp, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    rhks = list(
        skp.rhks.select_related("parent_rhk").prefetch_related(
            "indicators",
            Prefetch("intervened_by", queryset=Rhk.objects.select_related("skp__employee")),
        )
    )
    for rhk in rhks:
        rhk.indicator_form = (
            forms["indicator_form"]
            if forms.get("indicator_rhk") == rhk.pk
            else IndicatorForm(auto_id=f"id_ind{rhk.pk}_%s")
        )
    expectations = {e.value_code: e for e in skp.expectations.all()}
    values = [
        {"code": code, "name": name, "expectation": expectations.get(code)}
        for code, name in value_choices()
    ]
    owner_can_edit = skp.is_owner(user) and skp.is_editable
    is_penilai = skp.is_penilai(user)
    waiting = (
        skp.status == Skp.Status.DIAJUKAN
        and skp.pejabat_penilai_id is None
        and services.answered_by(skp)[0] == services.WAITING
    )
    context = {
        "section": "mine" if skp.is_owner(user) else "team",
        "skp": skp,
        "rhks": rhks,
        "values": values,
        "is_owner": skp.is_owner(user),
        "is_penilai": is_penilai,
        "read_only": not (skp.is_owner(user) or is_penilai),
        "later": rights.later_skp(skp) if skp.ends_on else None,
        "owner_can_edit": owner_can_edit,
        # nobody rates the employee yet: the owner reads why, Admin BKPSDM designates or approves
        "waiting_for_rater": waiting,
        "approve_on_behalf": waiting and user.is_bkpsdm_admin and not skp.is_owner(user),
        "events": skp.events.select_related("actor"),
        "versions": list(RecordVersion.objects.on_skp_page(skp)),
        "rhk_form": forms.get("rhk_form") or (RhkForm(skp=skp) if owner_can_edit else None),
        "indicator_rhk": forms.get("indicator_rhk"),
        "details_form": forms.get("details_form") or SkpDetailsForm(instance=skp),
        "expectation_form": forms.get("expectation_form") or ExpectationForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "reports": skp.reports.select_related("period__cycle"),
    }
    return render(request, "performance/skp_detail.html", context, status=status)


def _skp_form_post(
    request: HttpRequest, skp: Skp, form, action, *, success: str, anchor: str, **page
) -> HttpResponse:
    """A form on the SKP page (`form_post`): valid, the service runs and the page opens again at
    `anchor`; otherwise the page shows again with `page` (the form under its name)."""
    then = f"{skp.get_absolute_url()}#{anchor}"
    done = form_post(request, form, action, success=success, then=then)
    return done or _render_skp(request, skp, **page)


def _rhk_table_post(request: HttpRequest, skp: Skp, action, success: str) -> HttpResponse:
    """A button on the SKP's table of RHK and indicators (`post_and_redirect`): back to it."""
    then = f"{skp.get_absolute_url()}#rhk"
    return post_and_redirect(request, action, success=success, then=then)


@login_required
@require_GET
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_skp(request, get_skp(request, pk))


@login_required
@require_POST
def rhk_add(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_skp(request, pk)
    form = RhkForm(request.POST, skp=skp)  # no parent_rhk or perspektif where it asks none
    return _skp_form_post(
        request,
        skp,
        form,
        lambda data: services.add_rhk(actor=request.user, skp=skp, **data),
        success=_("RHK ditambahkan."),
        anchor="rhk",
        rhk_form=form,
    )


@login_required
@require_POST
def rhk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=pk)
    skp = get_skp(request, rhk.skp_id)
    return _rhk_table_post(
        request, skp, lambda: services.delete_rhk(actor=request.user, rhk=rhk), _("RHK dihapus.")
    )


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=pk)
    skp = get_skp(request, rhk.skp_id)
    form = IndicatorForm(request.POST, auto_id=f"id_ind{rhk.pk}_%s")  # the ids of its RHK's row
    return _skp_form_post(
        request,
        skp,
        form,
        lambda data: services.add_indicator(actor=request.user, rhk=rhk, **data),
        success=_("Indikator ditambahkan."),
        anchor=f"rhk-{rhk.pk}",
        indicator_form=form,
        indicator_rhk=rhk.pk,
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("rhk__skp"), pk=pk)
    skp = get_skp(request, indicator.rhk.skp_id)
    return _rhk_table_post(
        request,
        skp,
        lambda: services.delete_indicator(actor=request.user, indicator=indicator),
        _("Indikator dihapus."),
    )


@login_required
@require_POST
def skp_details(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_skp(request, pk)
    form = SkpDetailsForm(request.POST, instance=Skp.objects.get(pk=skp.pk))
    return _skp_form_post(
        request,
        skp,
        form,
        lambda data: services.update_skp_details(
            actor=request.user, skp=skp, **{f: data[f] for f in form.fields}
        ),
        success=_("Pendekatan dan lampiran SKP disimpan."),
        anchor="lampiran",
        details_form=form,
    )


@login_required
@require_POST
def skp_expectation(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_skp(request, pk)
    form = ExpectationForm(request.POST)
    return _skp_form_post(
        request,
        skp,
        form,
        lambda data: services.set_expectation(actor=request.user, skp=skp, **data),
        success=_("Ekspektasi khusus disimpan."),
        anchor="perilaku",
        expectation_form=form,
    )


def _skp_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    skp = get_skp(request, pk)
    form = ReturnForm(request.POST) if action == "return" else None
    try:
        if action == "submit":
            skp = services.submit_skp(actor=request.user, skp=skp)
            messages.success(request, services.submission_message(skp))
        elif action == "approve":
            document_ref = request.POST.get("document_ref", "")[:200]
            services.approve_skp(actor=request.user, skp=skp, document_ref=document_ref)
            messages.success(request, _("SKP disetujui."))
        else:
            if not form.is_valid():
                return _render_skp(request, skp, return_form=form)
            services.return_skp(actor=request.user, skp=skp, note=form.cleaned_data["note"])
            messages.success(request, _("SKP dikembalikan dengan catatan."))
    except ValidationError as exc:
        if form is not None:
            apply_errors(form, exc)
            return _render_skp(request, skp, return_form=form)
        messages.error(request, error_text(exc))
    return redirect(skp)


@login_required
@require_POST
def skp_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "submit")


@login_required
@require_POST
def skp_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "approve")


@login_required
@require_POST
def skp_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _skp_transition(request, pk, "return")


# --- Admin BKPSDM: cycles and periods ---------------------------------------------------------


@bkpsdm_admin_required
def admin_cycles(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST":
        done = form_post(
            request,
            form,
            lambda data: services.create_cycle(actor=request.user, **data),
            success=lambda cycle: _("Siklus %(year)s dibuat.") % {"year": cycle.year},
            then=lambda cycle: reverse("performance:admin_cycle", kwargs={"pk": cycle.pk}),
        )
        if done:
            return done
    return render(
        request,
        "performance/admin_cycles.html",
        {"form": form, "page": paginate(request, Cycle.objects.all(), 20), "section": "admin"},
    )


@bkpsdm_admin_required
def admin_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=pk)
    periods = list(cycle.periods.order_by("start"))
    forms = {p.pk: PeriodForm(instance=p, prefix=f"p{p.pk}") for p in periods}
    if request.method == "POST":
        if "status" in request.POST:
            return post_and_redirect(
                request,
                lambda: services.set_cycle_status(
                    actor=request.user, cycle=cycle, status=request.POST["status"]
                ),
                success=_("Status siklus diperbarui."),
                then=reverse("performance:admin_cycle", kwargs={"pk": cycle.pk}),
            )
        raw = request.POST.get("period", "")
        period_pk = int(raw) if raw.isascii() and raw.isdigit() else 0
        period = next((p for p in periods if p.pk == period_pk), None)
        if period is None:
            raise Http404
        form = PeriodForm(request.POST, instance=period, prefix=f"p{period.pk}")
        forms[period.pk] = form
        done = form_post(
            request,
            form,
            lambda data: services.update_period(actor=request.user, period=period, **data),
            success=_("Periode %(p)s diperbarui.") % {"p": period.label},
            then=reverse("performance:admin_cycle", kwargs={"pk": cycle.pk}),
        )
        if done:
            return done
    rows = [{"period": p, "form": forms[p.pk]} for p in periods]
    return render(
        request, "performance/admin_cycle.html", {"cycle": cycle, "rows": rows, "section": "admin"}
    )
