"""Admin BKPSDM's page of API tokens: list, create (the secret shown once), revoke."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.decorators import bkpsdm_admin_required

from . import services
from .models import ApiToken, Scope

NEW_SECRET = "api_token_new_secret"


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=365)


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama klien"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Izin"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Berlaku sampai"),
        initial=default_expiry,
        # ISO: a date input shows nothing of a localised "3 Des 2027" (the default was lost)
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rate_per_minute = forms.IntegerField(
        label=gettext_lazy("Batas permintaan per menit"),
        min_value=1,
        max_value=100_000,
        initial=120,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "scopes":
                field.widget.attrs.setdefault("class", "form-control")


def _page(request: HttpRequest, form: TokenForm, secret: str = "", status: int = 200):
    tokens = ApiToken.objects.for_listing()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "section": "token"},
        status=status,
    )


@bkpsdm_admin_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # The secret of a token just made, shown on this one page and then gone from the
        # session (a reload neither shows it again nor makes a second token).
        secret = request.session.pop(NEW_SECRET, "")
        response = _page(request, TokenForm(), secret=secret)
        if secret:
            response["Cache-Control"] = "no-store"
        return response
    form = TokenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        expires = timezone.make_aware(dt.datetime.combine(data["expires_on"], dt.time.max))
        try:
            token, secret = services.create_token(
                actor=request.user,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=expires,
                rate_per_minute=data["rate_per_minute"],
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            # Only its hash is stored; the secret waits in the session for the next page only.
            request.session[NEW_SECRET] = secret
            return redirect("api:tokens")
    return _page(request, form, status=400)


@bkpsdm_admin_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    services.revoke_token(actor=request.user, token=token)
    messages.success(
        request,
        _(
            "Token %(token)s dicabut: program yang memakainya kini ditolak. Bila program itu masih "
            "memerlukan API, buat token baru dan berikan kepada pengelolanya."
        )
        % {"token": token},
    )
    return redirect("api:tokens")
