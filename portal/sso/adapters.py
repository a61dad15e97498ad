import logging

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa import stages as mfa_stages
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..validators import normalize_nip, validate_nip_field
from .provider import ID_TOKEN_SESSION_KEY

logger = logging.getLogger(__name__)

# Set at an SSO login: the provider app's id (for logout) and whether the provider proved MFA.
PROVIDER_SESSION_KEY = "sso_provider"
MFA_SESSION_KEY = "sso_mfa"

REFUSALS = {
    "nip_missing": (
        _("Penyedia identitas tidak mengirim NIP yang sah untuk akun Anda."),
        _(
            "Minta pengelola akun di penyedia identitas kota melengkapi NIP Anda (18 angka), "
            "lalu coba masuk lagi."
        ),
    ),
    "nip_unknown": (
        _("NIP %(nip)s belum terdaftar di Portal Kinerja ASN."),
        _(
            "Akun portal dibuat oleh BKPSDM dari data kepegawaian. Hubungi Admin BKPSDM di "
            "perangkat daerah Anda dan sebutkan NIP ini."
        ),
    ),
    "inactive": (
        _("Akun portal untuk NIP %(nip)s tidak aktif."),
        _("Hubungi Admin BKPSDM di perangkat daerah Anda untuk mengaktifkannya kembali."),
    ),
    "conflict": (
        _("Akun penyedia identitas ini sudah terhubung ke pegawai lain di portal."),
        _("Hubungi Admin BKPSDM: data NIP di penyedia identitas dan di portal perlu dicocokkan."),
    ),
    "connect": (
        _("Akun penyedia identitas tidak dapat dihubungkan secara manual."),
        _("Keluar, lalu masuk dengan tombol penyedia identitas: portal mengenali Anda dari NIP."),
    ),
}


def refuse(request: HttpRequest, reason: str, nip: str = "") -> ImmediateHttpResponse:
    """The page that says why an SSO login was refused and what to do next (HTTP 403)."""
    request.session.pop(ID_TOKEN_SESSION_KEY, None)
    problem, next_step = REFUSALS[reason]
    context = {"problem": problem % {"nip": nip}, "next_step": next_step, "reason": reason}
    return ImmediateHttpResponse(
        render(request, "socialaccount/sso_refused.html", context, status=403)
    )


def claim(sociallogin: SocialLogin, name: str):
    """A claim of the verified ID token, else of the userinfo answer (same subject)."""
    data = sociallogin.account.extra_data or {}
    for source in ("id_token", "userinfo"):
        value = (data.get(source) or {}).get(name)
        if value not in (None, ""):
            return value
    return None


def provider_proved_mfa(sociallogin: SocialLogin | None) -> bool:
    """Whether the provider says, in the signed ID token, that it did multi-factor
    authentication: an `amr` value (RFC 8176) or an `acr` the city lists as MFA."""
    if sociallogin is None:
        return False
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    amr = id_token.get("amr") or []
    amr = [amr] if isinstance(amr, str) else amr
    return bool(set(amr) & set(settings.PORTAL_OIDC_MFA_AMR)) or (
        bool(id_token.get("acr")) and id_token.get("acr") in settings.PORTAL_OIDC_MFA_ACR
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Identity-provider logins land on the register's account with the same NIP, or nowhere."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def can_authenticate_by_email(self, login: SocialLogin, email: str) -> bool:
        return False  # by NIP only, whatever the settings say

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list[SocialApp]:
        """Only the apps of the settings (the environment), not those stored in the database."""
        return [app for app in super().list_apps(request, provider, client_id) if not app.pk]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            raise refuse(request, "connect")
        nip = normalize_nip(str(claim(sociallogin, settings.PORTAL_OIDC_NIP_CLAIM) or ""))
        try:
            validate_nip_field(nip)
        except ValidationError:
            raise refuse(request, "nip_missing") from None
        user = get_user_model()._default_manager.filter(nip=nip).first()
        if user is None:
            raise refuse(request, "nip_unknown", nip)
        if not user.is_active:
            raise refuse(request, "inactive", nip)
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                logger.warning(
                    "SSO subject %s is linked to user %s but carries the NIP of user %s",
                    sociallogin.account.uid,
                    sociallogin.user.pk,
                    user.pk,
                )
                raise refuse(request, "conflict")
            sociallogin.user = user
        else:
            sociallogin.connect(request, user)


class AuthenticateStage(mfa_stages.AuthenticateStage):
    """allauth's TOTP step of a login, skipped when the identity provider proved MFA."""

    def handle(self) -> tuple:
        if provider_proved_mfa((self.login.signal_kwargs or {}).get("sociallogin")):
            return None, True
        return super().handle()


def remember_login(request: HttpRequest, sociallogin: SocialLogin | None) -> None:
    """After a login: what the logout and the MFA rule need to know of an SSO login; nothing
    of an earlier one survives a password login in the same browser."""
    if sociallogin is None:
        for key in (ID_TOKEN_SESSION_KEY, PROVIDER_SESSION_KEY, MFA_SESSION_KEY):
            request.session.pop(key, None)
        return
    request.session[PROVIDER_SESSION_KEY] = sociallogin.account.provider
    request.session[MFA_SESSION_KEY] = provider_proved_mfa(sociallogin)


def end_session_url(request: HttpRequest) -> str | None:
    """The provider's logout (RP-initiated logout) for this session's SSO login, coming back
    to the portal's LOGOUT_REDIRECT_URL; None without SSO or when the provider has none."""
    provider_id = request.session.get(PROVIDER_SESSION_KEY)
    if not provider_id:
        return None
    try:
        provider = get_social_adapter(request).get_provider(request, provider_id)
        endpoint = provider.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
    except (SocialApp.DoesNotExist, requests.RequestException, ValueError):
        logger.warning("SSO logout: no end_session_endpoint from %s", provider_id, exc_info=True)
        return None
    if not endpoint:
        return None
    params = {
        "client_id": provider.app.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    if request.session.get(ID_TOKEN_SESSION_KEY):
        params["id_token_hint"] = request.session[ID_TOKEN_SESSION_KEY]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
