"""Writes with rules for the API app: tokens (create, revoke, use) and the units of the register.

Tokens are created and revoked by Admin BKPSDM only; each change is an `AuditEntry` (kind
"api_token"). A token acts as the Admin BKPSDM who created it: the register services check that
person's rights on every write, so a token stops writing when its creator loses the role.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import Kind, Source, record_change, save_new
from portal.models import OrgUnit, User

from .models import ApiToken, Scope, hash_key

TOKEN_PREFIX = "pka_"  # Portal Kinerja ASN: recognisable in logs and secret scanners


def _check_admin(actor: User | None) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_bkpsdm_admin:
        raise PermissionDenied(_("Hanya Admin BKPSDM yang dapat mengelola token API."))


@transaction.atomic
def create_token(
    *,
    actor: User,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime,
    rate_per_minute: int = 120,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once: only its hash is kept)."""
    _check_admin(actor)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Nama klien wajib diisi.")
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        errors["scopes"] = _("Pilih setidaknya satu izin yang dikenal.")
    if expires_at <= timezone.now():
        errors["expires_at"] = _("Tanggal kedaluwarsa harus di masa depan.")
    if errors:
        raise ValidationError(errors)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        prefix=key[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_key(key),
        scopes=[scope for scope in Scope.values if scope in scopes],
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        created_by=actor,
    )
    save_new(
        token,
        actor=actor,
        subject=None,
        kind=Kind.API_TOKEN,
        new=_("%(token)s dibuat; izin: %(scopes)s") % {"token": token, "scopes": token.scopes},
        source=Source.ADMIN_ACTION,
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke `token` for good (again: nothing changes)."""
    _check_admin(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked:
        return token
    token.revoked, token.revoked_at, token.revoked_by = True, timezone.now(), actor
    token.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    record_change(
        actor=actor,
        subject=None,
        kind=Kind.API_TOKEN,
        old=str(token),
        new=_("%(token)s dicabut") % {"token": token},
        source=Source.ADMIN_ACTION,
    )
    return token


def find_token(key: str) -> ApiToken | None:
    """The token with this secret, with its creator (one query), or None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    return ApiToken.objects.select_related("created_by").filter(key_hash=hash_key(key)).first()


def note_use(token: ApiToken) -> None:
    """Record the time of use (one UPDATE, without touching the rest of the row)."""
    token.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)


def take_request(token: ApiToken) -> int | None:
    """Count one request against the token's per-minute limit, in the shared cache (Redis in
    production, so every process counts together). None: allowed; else seconds to wait."""
    now = time.time()
    window = int(now // 60)
    key = f"api:rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= token.rate_per_minute * settings.PORTAL_API_RATE_FACTOR:
        return None
    return max(1, math.ceil((window + 1) * 60 - now))


@transaction.atomic
def upsert_unit(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    parent_code: str = "",
) -> tuple[OrgUnit, bool]:
    """Create or update the unit with this code; (unit, created). Refuses an unknown parent or
    a parent below the unit itself. Each change is an `AuditEntry` (kind "unit", source API)."""
    check_register_writer(actor)
    errors: dict[str, list[str]] = {}
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = [
            _("Kode unit '%(code)s' tidak sah (huruf, angka, - dan _ saja).") % {"code": code}
        ]
    parent = None
    if parent_code:
        parent = OrgUnit.objects.filter(code=parent_code).first()
        if parent is None:
            errors["parent"] = [_("Unit induk '%(code)s' tidak ditemukan.") % {"code": parent_code}]
    if errors:
        raise ValidationError(errors)
    unit = OrgUnit.objects.select_for_update().filter(code=code).first()
    created = unit is None
    before = "" if created else _unit_line(unit)
    unit = unit or OrgUnit(code=code)
    if parent is not None and unit.pk and unit.pk in {a.pk for a in [parent, *parent.ancestors()]}:
        raise ValidationError(
            {"parent": [_("Unit induk tidak boleh unit ini sendiri atau unit di bawahnya.")]}
        )
    unit.name, unit.short_name, unit.kind, unit.parent = (
        name.strip(),
        short_name.strip(),
        kind,
        parent,
    )
    unit.full_clean()
    after = _unit_line(unit)
    if before != after:
        unit.save()
        record_change(
            actor=actor,
            subject=None,
            kind=Kind.UNIT,
            old=before,
            new=after,
            source=Source.API,
        )
    return unit, created


def _unit_line(unit: OrgUnit) -> str:
    parent = unit.parent.code if unit.parent_id else "—"
    return f"{unit.code}: {unit.name} ({unit.short_name or '—'}, {unit.kind}, induk {parent})"


def check_register_writer(actor: User | None) -> None:
    if actor is None or not actor.is_bkpsdm_admin:
        raise PermissionDenied(
            _("Pembuat token ini bukan lagi Admin BKPSDM; token tidak dapat mengubah register.")
        )


def record_sync(*, actor: User | None, token: ApiToken, summary: str) -> None:
    """One entry per register write through the API (the people it changed have their own,
    written by the register services)."""
    record_change(
        actor=actor,
        subject=None,
        kind=Kind.REGISTER_SYNC,
        old="",
        new=summary,
        source=Source.API,
        note=str(token),
    )
