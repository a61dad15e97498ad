"""The annual rating page of one SKP: the rating (by the rater, or by Admin BKPSDM on behalf of a
rater outside the portal), the employee's keberatan and its decision."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from performance import rights
from performance.forms import (
    AnnualOnBehalfForm,
    AnnualRatingForm,
    DecisionForm,
    KeberatanForm,
)
from performance.models import (
    AnnualRating,
    Keberatan,
    PeriodicReport,
    RecordVersion,
    Skp,
    UnitEvaluation,
    today,
)
from performance.services import capaian, evaluation, external_rating, keberatan

from .common import form_post, visible_or_404


def get_evaluated_skp(request: HttpRequest, pk: int) -> Skp:
    """The SKP with its people (the employee's unit and the SKP's post too), if the user may see
    it (else 404)."""
    related = (
        "employee__org_unit",
        "cycle",
        "pejabat_penilai",
        "atasan_pejabat_penilai",
        "assignment__org_unit",
    )
    return visible_or_404(request, Skp.objects.select_related(*related), pk)


def _annual_context(request, skp: Skp, **forms) -> dict:
    rating = AnnualRating.objects.filter(skp=skp).first()
    objection = Keberatan.objects.filter(rating=rating).first() if rating else None
    opd = evaluation.post_opd(skp)
    state = UnitEvaluation.objects.filter(cycle=skp.cycle, org_unit=opd).first() if opd else None
    deadline = keberatan.keberatan_deadline(skp)
    user = request.user
    kind = rights.capacity(user, skp)
    refusal = rights.annual_refusal(user, skp) if kind else None
    on_behalf = kind == rights.BKPSDM
    # The year's SKPs before this one (a transfer): their periods and ratings, read-only.
    earlier = list(
        Skp.objects.filter(
            employee_id=skp.employee_id, cycle_id=skp.cycle_id, starts_on__lt=skp.starts_on
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=PeriodicReport.objects.select_related("period", "rated_by").order_by(
                    "period__start"
                ),
            )
        )
        .order_by("starts_on")
    )
    head_rule = capaian.head_rule(skp, state)
    # once rated, the rater's next step: the next person they rate, and the OPD's page
    next_step = None
    if rating is not None and kind is not None and not (state and state.is_final):
        unit_open = opd is not None and evaluation.can_view_unit(user, opd)
        next_step = {
            "mine": evaluation.still_to_rate(user, skp.cycle, exclude=skp),
            "opd": opd if unit_open else None,
            "unit_unrated": evaluation.unit_skps(skp.cycle, opd)
            .filter(annual_rating__isnull=True)
            .count()
            if unit_open
            else 0,
        }
    return {
        "next_step": next_step,
        "section": "annual",
        "skp": skp,
        "acting": rights.acting_on(skp),  # who rates today: "oleh Plt …" where one acts
        "acting_as": "" if on_behalf else rights.CAPACITY_LABELS.get(kind, ""),
        "acting_note": rights.act_note(user, skp, kind) if kind and not on_behalf else "",
        "rating": rating,
        "objection": objection,
        "state": state,
        "deadline": deadline,
        "history": PeriodicReport.objects.filter(skp=skp)
        .select_related("period")
        .order_by("period__start"),
        "earlier": earlier,
        "later": rights.later_skp(skp),
        "annual_refusal": refusal,
        "on_behalf": on_behalf,
        "external_rater": rights.external_rater(skp) if on_behalf else None,
        "can_rate": kind is not None
        and refusal is None
        and not skp.cycle.is_open
        and not (state and state.is_final),
        "can_object": skp.is_owner(user)
        and rating is not None
        and objection is None
        and deadline is not None
        and today() <= deadline,
        "can_decide": objection is not None
        and objection.status == Keberatan.Status.DIAJUKAN
        and keberatan.may_decide(user, skp, rating),
        "head_rule": head_rule,
        "capaian_setter": capaian.capaian_setter_text(head_rule.opd)
        if head_rule and not head_rule.capaian
        else "",
        "rating_form": forms.get("rating_form")
        or (AnnualOnBehalfForm if on_behalf else AnnualRatingForm)(
            initial={
                "hasil_kerja": rating.rating_hasil_kerja,
                "perilaku_kerja": rating.rating_perilaku_kerja,
                "note": rating.note,
            }
            if rating
            else None,
            head_rule=head_rule,
        ),
        "versions": list(RecordVersion.objects.on_annual_page(skp)),
        "keberatan_form": forms.get("keberatan_form") or KeberatanForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }


@login_required
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_evaluated_skp(request, pk)
    return render(request, "performance/annual_detail.html", _annual_context(request, skp))


def _post(request, skp, form, form_name, action, success) -> HttpResponse:
    then = reverse("performance:annual_detail", args=[skp.pk])
    done = form_post(request, form, action, success=success, then=then)
    if done:
        return done
    context = _annual_context(request, skp, **{form_name: form})
    return render(request, "performance/annual_detail.html", context, status=400)


@login_required
@require_POST
def annual_rate(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_evaluated_skp(request, pk)
    # Admin BKPSDM records what a rater outside the portal decided, with the document.
    on_behalf = rights.capacity(request.user, skp) == rights.BKPSDM
    rate = external_rating.rate_annual_on_behalf if on_behalf else evaluation.rate_annual
    return _post(
        request,
        skp,
        (AnnualOnBehalfForm if on_behalf else AnnualRatingForm)(
            request.POST, head_rule=capaian.head_rule(skp)
        ),
        "rating_form",
        lambda data: rate(actor=request.user, skp=skp, **data),
        _("Penilaian tahunan disimpan; predikat mengikuti kuadran kinerja."),
    )


@login_required
@require_POST
def keberatan_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_evaluated_skp(request, pk)
    rating = get_object_or_404(AnnualRating, skp=skp)
    return _post(
        request,
        skp,
        KeberatanForm(request.POST),
        "keberatan_form",
        lambda data: keberatan.lodge_keberatan(
            actor=request.user, rating=rating, reasons=data["reasons"]
        ),
        _("Keberatan diajukan kepada atasan pejabat penilai."),
    )


@login_required
@require_POST
def keberatan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    skp = get_evaluated_skp(request, pk)
    objection = get_object_or_404(Keberatan, rating__skp=skp)
    return _post(
        request,
        skp,
        DecisionForm(request.POST),
        "decision_form",
        lambda data: keberatan.decide_keberatan(actor=request.user, keberatan=objection, **data),
        _("Keputusan atas keberatan disimpan."),
    )
