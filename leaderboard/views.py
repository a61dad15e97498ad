from __future__ import annotations

import hashlib
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.decorators import bkpsdm_admin_required
from portal.domain import berakhlak_values
from portal.models import TIM_KOMUNIKASI, User

from . import board, services
from .consumers import KIOSK_TICKET_SALT
from .forms import BoardPrivacyForm, GiveRecognitionForm, KioskLinkForm, RevokeForm
from .models import Badge, BadgeAward, KioskLink, Recognition, season_of
from .rules import display_name, next_level, recipients


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.GET.get(name, allowed[0])
    return value if value in allowed else allowed[0]


@login_required
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    season = _choice(request, "musim", board.SEASONS)
    scope = _choice(request, "lingkup", board.SCOPES)
    context = board.viewer_board(viewer=request.user, season=season, scope=scope)
    context.update(
        board.choices(),
        season=season,
        scope=scope,
        opd_season=season,
        snapshot_url=f"{reverse('leaderboard:snapshot')}?musim={season}&lingkup={scope}",
        is_komunikasi=request.user.in_group(TIM_KOMUNIKASI),
        is_admin=request.user.is_bkpsdm_admin,
    )
    return render(request, "leaderboard/board.html", context)


def _snapshot_json(context: dict, **extra) -> JsonResponse:
    body = {
        "seq": context["seq"],
        "panels": [panel.as_json() for panel in context["panels"]],
        "opds": context["opds"],
        "feed": context["feed"],
        **extra,
    }
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


@never_cache
@require_GET
def snapshot(request: HttpRequest) -> HttpResponse:
    """The board as JSON with the latest `seq`; a kiosk authenticates with its link token."""
    token = request.GET.get("k")
    if token:
        link = KioskLink.objects.usable().filter(token=token).select_related("org_unit").first()
        if link is None:
            return JsonResponse({"error": "revoked"}, status=HTTPStatus.FORBIDDEN)
        return _snapshot_json(_kiosk_board(link), ticket=_kiosk_ticket(link))
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login"}, status=HTTPStatus.FORBIDDEN)
    season = _choice(request, "musim", board.SEASONS)
    scope = _choice(request, "lingkup", board.SCOPES)
    return _snapshot_json(board.viewer_board(viewer=request.user, season=season, scope=scope))


# --- kiosk -----------------------------------------------------------------------------------


def _kiosk_ticket(link: KioskLink) -> str:
    """A short-lived signed ticket that lets the kiosk's socket in without a session (the
    consumer checks the signature, never the database)."""
    return signing.dumps({"kiosk": link.pk}, salt=KIOSK_TICKET_SALT)


def _kiosk_board(link: KioskLink) -> dict:
    _token, units = board.board_meta()
    opd_id = link.org_unit_id
    seq = board.latest_seq()
    panels = [
        board.ranking_panel(season="bulan", scope="opd", units=units, opd_id=opd_id, seq=seq),
        board.ranking_panel(season="semua", scope="opd", units=units, opd_id=opd_id, seq=seq),
        board.ranking_panel(season="bulan", scope="kota", units=units, seq=seq),
    ]
    for panel in panels:
        panel.title = f"{panel.title} · {board.season_label(panel.season)}"
    recognitions = board.feed(limit=5)
    return {
        "seq": seq,
        "panels": panels,
        "opds": board.opd_ranking(season="bulan", units=units, seq=seq),
        "feed": [board.feed_item(r) for r in recognitions],
        "my_opd": opd_id,
        "top_n": settings.LEADERBOARD_TOP_N,
    }


@never_cache
@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("k", "")
    link = (
        KioskLink.objects.usable().filter(token=token).select_related("org_unit").first()
        if token
        else None
    )
    if link is None:
        return render(request, "leaderboard/kiosk_invalid.html", status=HTTPStatus.FORBIDDEN)
    context = _kiosk_board(link)
    context.update(
        link=link,
        ticket=_kiosk_ticket(link),
        snapshot_url=f"{reverse('leaderboard:snapshot')}?k={link.token}",
    )
    return render(request, "leaderboard/kiosk.html", context)


@bkpsdm_admin_required
@require_http_methods(["GET", "POST"])
def kiosk_links(request: HttpRequest) -> HttpResponse:
    form = KioskLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = services.create_kiosk_link(
            org_unit=form.cleaned_data["org_unit"],
            by=request.user,
            label=form.cleaned_data["label"],
        )
        messages.success(request, _("Tautan layar untuk %(opd)s dibuat.") % {"opd": link.org_unit})
        return redirect("leaderboard:kiosk_links")
    links = KioskLink.objects.select_related("org_unit").order_by("revoked_at", "-created_at")
    page = Paginator(links, 20).get_page(request.GET.get("halaman"))
    return render(
        request,
        "leaderboard/kiosk_links.html",
        {
            "form": form,
            "page": page,
            "kiosk_url": request.build_absolute_uri(reverse("leaderboard:kiosk")),
        },
    )


@bkpsdm_admin_required
@require_POST
def kiosk_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(KioskLink, pk=pk)
    services.revoke_kiosk_link(link=link, by=request.user)
    messages.success(request, _("Tautan layar dicabut; layar itu berhenti menampilkan papan."))
    return redirect("leaderboard:kiosk_links")


# --- giving ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def give(request: HttpRequest) -> HttpResponse:
    user = request.user
    with_points = recipients(user, with_points=True).exists()
    form = GiveRecognitionForm(request.POST or None, with_points=with_points)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consume_give_rate(giver=user)
            recognition = services.give_recognition(
                giver=user,
                receiver=data["receiver"],
                value=data["value"],
                message=data["message"],
                points=int(data["points"]),
                token=data["token"],
            )
        except services.GiveRateExceeded as error:
            form.add_error(None, error)
            status = HTTPStatus.TOO_MANY_REQUESTS
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Apresiasi untuk %(name)s terkirim.") % {"name": recognition.receiver.full_name},
            )
            return redirect(f"{reverse('leaderboard:mine')}?tab=diberikan")
    # The receiver chosen, if it is one (the raw field may hold anything).
    selected = form.cleaned_data.get("receiver") if form.is_bound else None
    if form.errors and status == HTTPStatus.OK:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "leaderboard/give.html",
        {
            "form": form,
            "values": berakhlak_values(),
            "with_points": with_points,
            "selected": selected,
            "budget": settings.LEADERBOARD_MONTHLY_BUDGET,
            "given": Recognition.objects.monthly_giving(user, season=season_of(timezone.now())),
        },
        status=status,
    )


@login_required
@require_GET
def search_recipients(request: HttpRequest) -> HttpResponse:
    """htmx: colleagues I may recognise, by name or NIP (at most 10)."""
    query = request.GET.get("q", "").strip()
    people: list[User] = []
    if len(query) >= 2:
        digits = query.replace(" ", "")
        match = Q(full_name__icontains=query) | (
            Q(nip__startswith=digits) if digits.isdigit() else Q(pk=None)
        )
        people = list(
            recipients(request.user, with_points=False)
            .filter(match)
            .select_related("org_unit")
            .order_by("full_name")[:10]
        )
    subtree = User.objects.subordinate_ids(request.user) if people else set()
    for person in people:
        person.may_get_points = request.user.is_bkpsdm_admin or person.pk in subtree
    return render(
        request,
        "leaderboard/give.html#candidates",
        {"people": people, "query": query, "selected_id": request.GET.get("receiver")},
    )


# --- mine ----------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = (
        request.GET.get("tab")
        if request.GET.get("tab") in ("diterima", "diberikan")
        else "diterima"
    )
    recognitions = Recognition.objects.with_people().filter(
        **({"receiver": user} if tab == "diterima" else {"giver": user})
    )
    page = Paginator(recognitions, 10).get_page(request.GET.get("halaman"))
    standing = board.my_standing(user)
    return render(
        request,
        "leaderboard/mine.html",
        {
            "tab": tab,
            "page": page,
            "standing": standing,
            "awards": BadgeAward.objects.filter(user=user).select_related("badge")[:12],
            "privacy_form": BoardPrivacyForm(instance=user),
            "is_komunikasi": user.in_group(TIM_KOMUNIKASI),
            "next_level": next_level(standing["level"]),
        },
    )


@login_required
@require_POST
def privacy(request: HttpRequest) -> HttpResponse:
    form = BoardPrivacyForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _("Nama Anda kini disembunyikan di papan.")
            if form.cleaned_data["board_opt_out"]
            else _("Nama Anda kini ditampilkan di papan."),
        )
    return redirect("leaderboard:mine")


# --- review and revoke (Admin BKPSDM) -----------------------------------------------------------


@bkpsdm_admin_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    recent = Recognition.objects.with_people().filter(points__gt=0)
    page = Paginator(recent, 20).get_page(request.GET.get("halaman"))
    return render(
        request,
        "leaderboard/review.html",
        {"pairs": services.reciprocal_pairs(), "page": page, "revoke_form": RevokeForm()},
    )


@bkpsdm_admin_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_object_or_404(Recognition, pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_recognition(
                recognition=recognition, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Apresiasi dicabut dan poinnya dikurangi."))
    else:
        messages.error(request, _("Tulis alasan pencabutan."))
    return redirect("leaderboard:review")


# --- Open Badges 2.0 (hosted verification) ------------------------------------------------------


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _issuer_json(request: HttpRequest) -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": _abs(request, reverse("leaderboard:issuer")),
        "name": "BKPSDM Kota Bandung — Portal Kinerja ASN",
        "url": _abs(request, "/"),
        "email": settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip(),
    }


def _badge_class_json(request: HttpRequest, badge: Badge) -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": _abs(request, reverse("leaderboard:badge_class", args=[badge.slug])),
        "name": badge.name,
        "description": badge.description,
        "image": _abs(request, reverse("leaderboard:badge_image", args=[badge.slug])),
        "criteria": {"narrative": badge.criteria or badge.description},
        "issuer": _abs(request, reverse("leaderboard:issuer")),
    }


def hashed_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


@require_GET
def issuer(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_issuer_json(request), content_type="application/ld+json")


@require_GET
def badge_class(request: HttpRequest, slug: str) -> JsonResponse:
    badge = get_object_or_404(Badge, slug=slug)
    return JsonResponse(_badge_class_json(request, badge), content_type="application/ld+json")


@require_GET
def badge_image(request: HttpRequest, slug: str) -> HttpResponse:
    badge = get_object_or_404(Badge, slug=slug)
    return render(request, "leaderboard/badge.svg", {"badge": badge}, content_type="image/svg+xml")


def _award(uid: str) -> BadgeAward:
    try:
        return BadgeAward.objects.select_related("badge", "user").get(uid=uid)
    except (BadgeAward.DoesNotExist, ValidationError):
        raise Http404 from None


@require_GET
def assertion(request: HttpRequest, uid: str) -> JsonResponse:
    award = _award(uid)
    body = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": _abs(request, reverse("leaderboard:assertion", args=[award.uid])),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": hashed_identity(award.user.email, award.salt),
        },
        "badge": _abs(request, reverse("leaderboard:badge_class", args=[award.badge.slug])),
        "issuedOn": award.awarded_at.isoformat(),
        "verification": {"type": "hosted"},
    }
    return JsonResponse(body, content_type="application/ld+json")


@require_GET
def award_page(request: HttpRequest, uid: str) -> HttpResponse:
    award = _award(uid)
    return render(
        request,
        "leaderboard/badge_award.html",
        {
            "award": award,
            "recipient": display_name(
                award.user, request.user if request.user.is_authenticated else None
            ),
        },
    )
