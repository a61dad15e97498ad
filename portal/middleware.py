from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from wagtail.views import serve as wagtail_serve

from . import page_cache
from .sso.adapters import MFA_SESSION_KEY

# Paths a user who still has to set up MFA may reach: the MFA pages, logout, assets, health.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz/", "/i18n/", "/jsi18n/")


def requires_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    required = set(settings.PORTAL_MFA_REQUIRED_GROUPS)
    return bool(required) and any(user.in_group(name) for name in required)


class RequireMfaMiddleware:
    """Admin BKPSDM and superusers must activate TOTP before they use the portal, unless they
    came through the identity provider and it proved MFA (portal.sso)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and requires_mfa(user)
            and not request.session.get("mfa_totp_active")
            and not request.session.get(MFA_SESSION_KEY)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session["mfa_totp_active"] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class AdminAccessMiddleware:
    """A signed-in person without access to Wagtail's admin (a pegawai) who opens an /admin/
    address gets the portal's 403 page, which says whom to ask. Wagtail would send them to the
    login page, which sends a signed-in person back: the browser gave up on a redirect loop."""

    EXEMPT = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path_info.startswith("/admin/")
            and not request.path_info.startswith(self.EXEMPT)
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            raise PermissionDenied
        return self.get_response(request)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the editor workspace's own policy on its paths only.

    Everything else gets settings.CONTENT_SECURITY_POLICY (no inline script or style).
    A view's own @csp/@csp_replace/@csp_update decorators still win.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.PORTAL_CSP_ADMIN_PATH_PREFIXES))
        ):
            parts.config = settings.PORTAL_CSP_ADMIN_DIRECTIVES
        return parts


class StripNulFromQueryMiddleware:
    """Drops NUL characters from the query string's keys and values before any view reads them.

    PostgreSQL text cannot hold NUL, so a filter such as `?opd=%00` reaching a query would end
    in a 500 there (SQLite accepts it). Forms refuse NUL themselves on POST (Django's
    ProhibitNullCharactersValidator); a filter has no form to say so, and an empty filter is
    what such a value means.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The portal opens in Indonesian and switches only on request.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an English phone got
    English. Here only the language cookie set by the switcher (`set_language`, /i18n/setlang/)
    counts; anything else, or no cookie, is LANGUAGE_CODE. The response side is Django's.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class PageCacheMiddleware:
    """Serves public Wagtail pages to anonymous visitors from the page cache (portal.page_cache).

    Last in MIDDLEWARE: `process_view` runs after every middleware has seen the request
    (language, CSRF cookie, session) and after URL resolution, but before Wagtail routes the
    page (Site lookup and `Page.route` queries), so a hit costs one cache round trip and
    no query. Every response, hit or not, still goes back through the whole stack (CSP,
    security headers, CSRF cookie, Vary).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        fill = getattr(request, "_page_cache_fill", None)
        if fill is not None:
            page_cache.store(*fill, request, response)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or not page_cache.is_cacheable_request(request):
            return None
        key = page_cache.entry_key(request)
        version, response = page_cache.lookup(key, request)
        if response is None and version is not None:
            request._page_cache_fill = (key, version)
        return response
