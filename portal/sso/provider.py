from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse

# The raw ID token of this session's SSO login: the `id_token_hint` of the provider's logout.
ID_TOKEN_SESSION_KEY = "sso_id_token"


class CityOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        """allauth's, except that the ID token's signature is always verified and that the
        userinfo answer must be about the same person (OpenID Connect Core 5.3.4)."""
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("The provider sent no ID token")
        claims = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        data = {"id_token": claims}
        if app.settings.get("fetch_userinfo", True):
            userinfo = self._fetch_user_info(token.token)
            if userinfo.get("sub") != claims.get("sub"):
                raise OAuth2Error("userinfo and ID token name different subjects")
            data["userinfo"] = userinfo
        request.session[ID_TOKEN_SESSION_KEY] = id_token
        return self.get_provider().sociallogin_from_response(request, data)


class CityOpenIDConnectProvider(OpenIDConnectProvider):
    """Replaces allauth's provider class (SOCIALACCOUNT_PROVIDERS "provider_class"); its URLs
    come from this package (portal.sso.urls), with allauth's names and paths."""

    oauth2_adapter_class = CityOpenIDConnectAdapter
    package = "portal.sso"


def adapter_view(view_class: type[OAuth2LoginView] | type[OAuth2CallbackView]):
    """allauth's OpenID Connect login or callback view, with the adapter above."""

    @login_not_required
    def view(request: HttpRequest, provider_id: str) -> HttpResponse:
        try:
            adapter = CityOpenIDConnectAdapter(request, provider_id)
            return view_class.adapter_view(adapter)(request)
        except SocialApp.DoesNotExist as missing:
            raise Http404 from missing

    return view


login = adapter_view(OAuth2LoginView)
callback = adapter_view(OAuth2CallbackView)
