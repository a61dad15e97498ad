"""The API's one error shape: `{"detail": "...", "errors": [{"line"|"nip"|"field", "message"}]}`,
Indonesian by default (the request's language otherwise)."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it at the door rather than fail in the database.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "NUL character")
    return value


# Every text the API reads (bodies, paths, queries).
Text = Annotated[str, AfterValidator(_no_nul)]


class ErrorItem(Schema):
    line: int | None = None
    nip: str | None = None
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors=None, headers=None):
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors = errors or []
        self.headers = headers or {}


# Every operation may answer these (schemathesis checks each status against the schema).
COMMON = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def responses(ok, *extra: int) -> dict:
    """The response map of an operation: `ok` on 200 and the shared errors."""
    found = {200: ok, **COMMON}
    for status in extra:
        found[status] = ErrorOut
    return found


def validation_items(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"message": message} for message in exc.messages]


def pydantic_message(error: dict) -> str:
    """pydantic's English message of one input error, said in the portal's language."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind == "nul_character":
        return _("Teks tidak boleh berisi karakter NUL.")
    if kind in ("string_too_long", "too_long"):
        return _("Terlalu panjang (paling banyak %(n)s).") % {"n": ctx.get("max_length", "?")}
    if kind in ("string_too_short", "too_short"):
        return _("Terlalu pendek (paling sedikit %(n)s).") % {"n": ctx.get("min_length", "?")}
    if kind in ("enum", "literal_error"):
        return _("Pilihan tidak dikenal; yang boleh: %(allowed)s.") % {
            "allowed": ctx.get("expected", "")
        }
    if kind.startswith(("date_", "datetime_")):
        return _("Bukan tanggal yang sah (TTTT-BB-HH).")
    if kind.startswith("int_") or kind == "int_type":
        return _("Harus bilangan bulat.")
    if kind.startswith("bool_"):
        return _("Harus true atau false.")
    if kind.startswith("string_"):
        return _("Harus berupa teks.")
    if kind in ("less_than_equal", "less_than"):
        return _("Terlalu besar (paling besar %(n)s).") % {"n": ctx.get("le", ctx.get("lt", "?"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Terlalu kecil (paling kecil %(n)s).") % {"n": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in ("list_type", "dict_type", "model_attributes_type", "model_type"):
        return _("Bentuk data tidak sesuai skema.")
    if kind == "json_invalid":
        return _("Isi permintaan bukan JSON yang sah.")
    return _("Nilai tidak sah.")


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every refusal into the error shape."""

    def reply(request, status, detail, errors=(), headers=None) -> HttpResponse:
        items = [{"line": None, "nip": None, "field": None, **item} for item in errors]
        response = api.create_response(
            request, {"detail": str(detail), "errors": items}, status=status
        )
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError):
        return reply(request, exc.status, exc.detail, exc.errors, exc.headers)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return reply(
            request,
            401,
            _(
                "Autentikasi diperlukan: kirim token API (Authorization: Bearer …) atau masuk ke portal."
            ),
        )

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        items = []
        for error in exc.errors:
            where = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
            items.append({"field": ".".join(where) or None, "message": pydantic_message(error)})
        return reply(request, 422, _("Data yang dikirim tidak sah."), items)

    @api.exception_handler(ValidationError)
    def refused(request, exc: ValidationError):
        return reply(request, 422, _("Data ditolak."), validation_items(exc))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return reply(request, 403, str(exc) or _("Anda tidak berhak melakukan ini."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, str(exc) or _("Data tidak ditemukan."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return reply(request, 413, _("Isi permintaan terlalu besar."))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return reply(request, 429, _("Terlalu banyak permintaan; coba lagi nanti."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # django-ninja's own refusals (CSRF, a body that is not JSON)
        messages = {
            403: _("Pemeriksaan CSRF gagal: kirim token CSRF bersama sesi."),
            400: _("Isi permintaan bukan JSON yang sah."),
        }
        return reply(request, exc.status_code, messages.get(exc.status_code, str(exc)))
