"""Annual evaluation pages of an OPD: the year's home (units, people to rate, keberatan), the
OPD's capaian and its finalisation. One SKP's annual rating and keberatan: `annual_rating`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from performance import rights, rules
from performance.forms import (
    CapaianForm,
    FinaliseForm,
)
from performance.models import (
    Cycle,
    DistributionRule,
    Keberatan,
    RecordVersion,
    Skp,
    UnitEvaluation,
)
from performance.services import capaian, evaluation, leaders
from portal.models import OrgUnit

from .common import apply_errors, confirmed, form_post, paginate


def _cycle(request: HttpRequest, year: int | None = None) -> Cycle | None:
    if year is not None:
        return get_object_or_404(Cycle, year=year)
    raw = request.GET.get("tahun", "")
    if raw.isascii() and raw.isdigit():
        found = Cycle.objects.filter(year=int(raw)).first()
        if found:
            return found
    return Cycle.objects.current()


@login_required
def annual_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = _cycle(request)
    units, to_rate, objections, mine = [], [], [], None
    search = request.GET.get("q", "").strip()[:100]
    if cycle:
        managed = list(evaluation.managed_units(user))
        # ...and the OPDs whose capaian this user sets as the leader above their head
        seen = {unit.pk for unit in managed}
        led = [u for u in leaders.opds_led_above(user).order_by("name") if u.pk not in seen]
        shown = sorted(managed + led, key=lambda unit: (unit.name, unit.pk))
        if search:  # Admin BKPSDM manages every OPD of the city: find one by name
            shown = [u for u in shown if search.casefold() in f"{u.name} {u.short_name}".casefold()]
        states = {
            e.org_unit_id: e for e in UnitEvaluation.objects.filter(cycle=cycle, org_unit__in=shown)
        }
        units = [(unit, states.get(unit.pk)) for unit in shown]
        to_rate = list(
            Skp.objects.rated_by(user)
            .filter(cycle=cycle, status=Skp.Status.DISETUJUI)
            .last_of_cycle()  # after a transfer the annual rating is on the last SKP
            .select_related("employee", "annual_rating")
            .order_by("employee__full_name")
        )
        objections = list(
            Keberatan.objects.filter(
                rating__skp__cycle=cycle, rating__skp__atasan_pejabat_penilai=user
            ).select_related("rating__skp__employee")
        )
        mine = Skp.objects.filter(cycle=cycle, employee=user).order_by("-starts_on").first()
    return render(
        request,
        "performance/annual_home.html",
        {
            "section": "annual",
            "cycle": cycle,
            "cycles": [(c.year, c.year) for c in Cycle.objects.all()],
            "page": paginate(request, units, 20),
            "to_rate": to_rate,
            "keberatan": objections,
            "mine": mine,
            "pager_query": urlencode({"tahun": cycle.year, "q": search}) if cycle else "",
            "search": search,
        },
    )


def _capaian_form(request, opd: OrgUnit, state: UnitEvaluation, leader) -> CapaianForm | None:
    """The capaian form for whoever may set it now (None: the page says who does)."""
    capacity, _reason = capaian.capaian_capacity_with_reason(request.user, opd, leader)
    if capacity is None:
        return None
    initial = {"capaian": state.capaian or None}
    if state.capaian_capacity == capacity:
        initial["document_ref"] = state.capaian_document_ref
        if capacity == UnitEvaluation.CapaianCapacity.BKPSDM:
            initial["penetap"] = state.capaian_penetap
    return CapaianForm(capacity=capacity, initial=initial)


def _unit_context(request, cycle: Cycle, opd: OrgUnit, **forms) -> dict:
    # Unsaved when nothing is set yet: reading the page writes nothing.
    state = UnitEvaluation.objects.filter(cycle=cycle, org_unit=opd).select_related(
        "capaian_set_by", "finalised_by"
    ).first() or UnitEvaluation(cycle=cycle, org_unit=opd)
    leader = leaders.leader_above(opd)
    counts = evaluation.unit_counts(cycle, opd)
    total = sum(counts.values())
    quotas = DistributionRule.objects.quotas_for(state.capaian) if state.capaian else ()
    violations = rules.check_distribution(state.capaian, counts, quotas) if state.capaian else []
    skps = (
        evaluation.unit_skps(cycle, opd)
        .select_related("employee__org_unit", "annual_rating", "pejabat_penilai")
        .order_by("employee__full_name")
    )
    pattern = evaluation.expected_pattern(quotas, total)
    chart = {
        "labels": [row["label"] for row in pattern],
        "actual": [counts.get(row["code"], 0) for row in pattern],
        "min": [row["min"] for row in pattern],
        "max": [row["max"] for row in pattern],
        "legend": {
            "actual": _("Jumlah pegawai"),
            "min": _("Batas bawah pola"),
            "max": _("Batas atas pola"),
        },
    }
    rows = [{"label": row["label"], "count": counts.get(row["code"], 0), **row} for row in pattern]
    page = paginate(request, skps, 25)
    # who rates each one today, as the rights read it: "oleh Plt …" where an acting official acts
    page.object_list = list(page.object_list)
    acting = rights.actors_of(page.object_list)
    for skp in page.object_list:
        skp.acting = acting[skp.pk]
    unrated = skps.filter(annual_rating__isnull=True).count()
    # after the capaian: the next person this viewer rates here, or finalising when all are rated
    mine = (
        evaluation.still_to_rate(request.user, cycle, within=skps)
        if state.capaian and not state.is_final and not cycle.is_open
        else None
    )
    return {
        "section": "annual",
        "cycle": cycle,
        "opd": opd,
        "mine": mine,
        "state": state,
        "counts_rows": rows,
        "total": total,
        "violations": violations,
        "quotas": [rules.explain_quota(quota) for quota in quotas],
        "chart": chart,
        "page": page,
        "unrated": unrated,
        "versions": list(RecordVersion.objects.on_unit_page(cycle, opd)),
        "capaian_form": forms.get("capaian_form")
        or (None if state.is_final else _capaian_form(request, opd, state, leader)),
        "capaian_setter": capaian.capaian_setter_text(opd, leader),
        "can_finalise": evaluation.can_manage_unit(request.user, opd),
        "finalisers": _finalisers_text(opd),
        "finalise_form": forms.get("finalise_form") or FinaliseForm(),
    }


def _finalisers_text(opd: OrgUnit) -> str:
    """Who holds the head's rights over the OPD today, in words: "Name (kepala perangkat
    daerah)", "Plt Name" (`leaders.unit_head_rights`, the rule `can_manage_unit` reads)."""
    words = []
    for person, kind in leaders.unit_head_rights(opd):
        if kind == "kepala":
            words.append(_("%(name)s (kepala perangkat daerah)") % {"name": person.full_name})
        elif kind == rights.PLT:
            words.append(_("Plt %(name)s") % {"name": person.full_name})
        else:
            words.append(_("Plh %(name)s") % {"name": person.full_name})
    return ", ".join(words) or _("kepala perangkat daerah")


def _get_unit(
    request: HttpRequest, year: int, pk: int, *, manage: bool = False
) -> tuple[Cycle, OrgUnit]:
    """The cycle and OPD of a unit page: for whoever manages the OPD (`manage`: only them) or
    sets its capaian (the leader above its head); a hiding 404 for everyone else."""
    cycle = get_object_or_404(Cycle, year=year)
    opd = get_object_or_404(OrgUnit.objects.perangkat_daerah(), pk=pk)
    allowed = (
        evaluation.can_manage_unit(request.user, opd)
        if manage
        else evaluation.can_view_unit(request.user, opd)
    )
    if not allowed:
        raise Http404
    return cycle, opd


@login_required
def unit_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk)
    return render(request, "performance/annual_unit.html", _unit_context(request, cycle, opd))


@login_required
@require_POST
def unit_capaian(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk)
    capacity, reason = capaian.capaian_capacity_with_reason(
        request.user, opd, leaders.leader_above(opd)
    )
    if capacity is None:  # the head of the OPD, say: 403 with who sets it
        raise PermissionDenied(reason)
    form = CapaianForm(request.POST, capacity=capacity)
    done = form_post(
        request,
        form,
        # no penetap from the leader above the head: the service names them
        lambda data: evaluation.set_capaian(actor=request.user, cycle=cycle, opd=opd, **data),
        success=_("Capaian kinerja organisasi disimpan."),
        then=reverse("performance:unit_detail", kwargs={"year": year, "pk": pk}),
        general_errors="message",
    )
    if done:
        return done
    context = _unit_context(request, cycle, opd, capaian_form=form)
    return render(request, "performance/annual_unit.html", context, status=400)


@login_required
@require_POST
def unit_finalise(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    cycle, opd = _get_unit(request, year, pk, manage=True)
    form = FinaliseForm(request.POST)
    # Locking a whole OPD is final: the first POST checks the same rules and shows the counts
    # per predikat; only a POST carrying the confirmation locks. "Ubah" goes back, text kept.
    if not confirmed(request):
        status, preview = 200, False
        if "ubah" not in request.POST and form.is_valid():
            state = UnitEvaluation.objects.filter(
                cycle=cycle, org_unit=opd
            ).first() or UnitEvaluation(cycle=cycle, org_unit=opd)
            try:
                evaluation.check_finalise(
                    cycle=cycle,
                    opd=opd,
                    evaluation=state,
                    justification=form.cleaned_data["justification"],
                )
                preview = True
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
        context = _unit_context(request, cycle, opd, finalise_form=form)
        context["finalise_preview"] = preview
        return render(request, "performance/annual_unit.html", context, status=status)
    done = form_post(
        request,
        form,
        lambda data: evaluation.finalise_unit(
            actor=request.user, cycle=cycle, opd=opd, justification=data["justification"]
        ),
        success=_("Predikat unit ditetapkan dan dikunci."),
        then=reverse("performance:unit_detail", kwargs={"year": year, "pk": pk}),
    )
    if done:
        return done
    context = _unit_context(request, cycle, opd, finalise_form=form)
    return render(request, "performance/annual_unit.html", context, status=400)
