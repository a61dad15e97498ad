"""Who calls the API: a machine client with a bearer token (scopes, expiry, revocation, a rate
limit per token) or a person signed in to the portal (reads only, with their own rights).

Write operations take tokens only: a browser session never reaches them, so no write can be
forged from another site (CSRF). Reads accept the session too; django-ninja checks CSRF on
session-authenticated unsafe methods itself (`SessionAuth` is an `APIKeyCookie`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import HttpBearer, SessionAuth

from portal.models import User

from . import services
from .errors import ApiError, responses
from .models import ApiToken, Scope


@dataclass(frozen=True)
class Caller:
    """`request.auth` of every operation."""

    user: User  # the signed-in person, or the Admin BKPSDM who created the token
    token: ApiToken | None = None
    everyone: bool = False  # this read is open to every signed-in person (the board)

    @property
    def is_machine(self) -> bool:
        return self.token is not None

    @property
    def sees_everyone(self) -> bool:
        """A token (within its scopes) or Admin BKPSDM reads the whole city."""
        return self.everyone or self.is_machine or self.user.is_bkpsdm_admin

    def may_read_person(self, person: User) -> bool:
        return self.sees_everyone or person.pk == self.user.pk


def check_body_size(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.PORTAL_API_MAX_BODY_BYTES:
        raise ApiError(
            413,
            _("Isi permintaan terlalu besar (lebih dari %(mb)s MB).")
            % {"mb": settings.PORTAL_API_MAX_BODY_BYTES // (1024 * 1024)},
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pka_…` with `scope` among the token's scopes."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = services.find_token(token.strip())
        if found is None:
            raise ApiError(
                401,
                _(
                    "Token API tidak dikenal. Periksa token yang dikirim (Authorization: Bearer …); bila hilang, minta token baru kepada Admin BKPSDM."
                ),
            )
        if found.revoked:
            raise ApiError(
                401, _("Token API ini sudah dicabut. Minta token baru kepada Admin BKPSDM.")
            )
        if found.is_expired:
            raise ApiError(
                401, _("Token API ini sudah kedaluwarsa. Minta token baru kepada Admin BKPSDM.")
            )
        if not found.created_by.is_active:  # a token never outlives its creator's account
            raise ApiError(
                401,
                _(
                    "Akun pembuat token ini sudah dinonaktifkan; token tidak berlaku lagi. "
                    "Minta token baru kepada Admin BKPSDM."
                ),
            )
        if self.scope not in found.scopes:
            raise ApiError(
                403,
                _(
                    "Token API ini tidak memiliki izin '%(scope)s' (%(label)s). Minta Admin "
                    "BKPSDM membuat token dengan izin itu."
                )
                % {"scope": self.scope, "label": Scope(self.scope).label},
            )
        wait = services.take_request(found)
        if wait is not None:
            raise ApiError(
                429,
                _("Terlalu banyak permintaan dengan token ini; coba lagi dalam %(s)s detik.")
                % {"s": wait},
                headers={"Retry-After": str(wait)},
            )
        check_body_size(request)
        services.note_use(found)
        return Caller(user=found.created_by, token=found)


class PortalSessionAuth(SessionAuth):
    """A person signed in to the portal (the session cookie), for reads."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        if request.user.is_authenticated and request.user.is_active:
            return Caller(user=request.user)
        return None


def reading(scope: str) -> list:
    return [TokenAuth(scope), PortalSessionAuth()]


def writing(scope: str) -> list:
    return [TokenAuth(scope)]


class ApiRouter(Router):
    """The API's routers: every operation answers `responses(ok, *errors)`; a read is open to a
    token with `scope` or a person signed in to the portal, a write to a token with it only."""

    def reads(self, path: str, ok, scope: str, summary: str):
        return self.get(path, response=responses(ok), auth=reading(scope), summary=summary)

    def writes(self, method: str, path: str, ok, scope: str, summary: str, *errors: int):
        return self.api_operation(
            [method], path, response=responses(ok, *errors), auth=writing(scope), summary=summary
        )
