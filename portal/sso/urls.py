"""allauth's OpenID Connect URLs (same names and paths), served by portal.sso.provider's views."""

from allauth.socialaccount import app_settings
from django.urls import include, path

from . import provider

urlpatterns = [
    path(
        f"{app_settings.OPENID_CONNECT_URL_PREFIX}/<str:provider_id>/",
        include(
            [
                path("login/", provider.login, name="openid_connect_login"),
                path("login/callback/", provider.callback, name="openid_connect_callback"),
            ]
        ),
    )
]
