from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a user who still has to set up MFA may reach: the MFA pages, logout, assets, health.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/healthz/", "/i18n/", "/jsi18n/")


def requires_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    required = set(getattr(settings, "PORTAL_MFA_REQUIRED_GROUPS", []))
    return bool(required) and any(user.in_group(name) for name in required)


class RequireMfaMiddleware:
    """Admin BKPSDM and superusers must activate TOTP before they use the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and requires_mfa(user)
            and not request.session.get("mfa_totp_active")
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session["mfa_totp_active"] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
