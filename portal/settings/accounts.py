"""People and accounts: Django's auth, allauth (NIP or e-mail logins, rate limits) and MFA."""

import os

from .core import env_bool, env_list

AUTH_USER_MODEL = "portal.User"

# Django's and allauth's, each loading the user with their groups in one query. A session
# keeps the path of the backend that logged it in: renaming one logs everybody out once.
AUTHENTICATION_BACKENDS = [
    "portal.backends.ModelBackend",
    "portal.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:beranda"
LOGOUT_REDIRECT_URL = "/"

# allauth: accounts come from the staff register; nobody signs up.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "nip"
ACCOUNT_USER_DISPLAY = "portal.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = True
# Failed logins (issue 14): per real client address (offices share one NAT address, hence 20
# a minute, not allauth's 10) and 5 per 5 minutes per account; a NIP and the e-mail of one
# person are one account (portal.adapters). The other limits are allauth's defaults.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/300s/key"}
# The client address behind the proxy (allauth's rate limits are keyed on it). nginx appends
# the address it sees to X-Forwarded-For (deploy/nginx.conf): with one proxy in front, 1 —
# then only the last entry, the one nginx wrote, is trusted. 0 (default): nothing in front,
# REMOTE_ADDR is the client. Or name a header that the proxy overwrites on every request.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("DJANGO_TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_FORMS = {"login": "portal.forms.LoginForm", "add_email": "portal.forms.AddEmailForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portal Kinerja ASN] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portal Kinerja ASN Kota Bandung"
# Roles that must have TOTP before they may use the portal (portal.middleware).
PORTAL_MFA_REQUIRED_GROUPS = ["Admin BKPSDM"]

# --- Single sign-on through the city's identity provider (OpenID Connect; README "Single
# sign-on"). Configured only from the environment: with OIDC_ISSUER unset there is no SSO, and
# the identity-provider apps stored in the database (Django admin) are ignored (portal.sso).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
PORTAL_SSO_PROVIDER_ID = "kota"  # in the callback path: /accounts/oidc/kota/login/callback/
SOCIALACCOUNT_ADAPTER = "portal.sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # allauth's provider, verifying every ID token's signature and keeping it for logout
        "provider_class": "portal.sso.provider.CityOpenIDConnectProvider",
        "OAUTH_PKCE_ENABLED": True,
        "EMAIL_AUTHENTICATION": False,
        "APPS": (
            [
                {
                    "provider_id": PORTAL_SSO_PROVIDER_ID,
                    "name": os.environ.get("OIDC_NAME", "").strip() or "SSO Kota Bandung",
                    "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                    "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": OIDC_ISSUER,
                        "fetch_userinfo": True,
                        "oauth_pkce_enabled": True,
                        "scope": os.environ.get("OIDC_SCOPES", "openid profile email").split(),
                    },
                }
            ]
            if OIDC_ISSUER
            else []
        ),
    }
}
# People are matched by NIP only: never by e-mail, never signed up, never connected by hand.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
# The claim (ID token or userinfo) that carries the NIP.
PORTAL_OIDC_NIP_CLAIM = os.environ.get("OIDC_NIP_CLAIM", "").strip() or "nip"
# What counts as MFA done at the provider (RFC 8176 `amr` values; `acr` values are the
# provider's own, none by default). Otherwise the portal asks for its TOTP as after a password.
PORTAL_OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa,otp,hwk,swk,sc,fpt,face,iris,retina,vbm")
PORTAL_OIDC_MFA_ACR = env_list("OIDC_MFA_ACR")
# 0: the login page offers only the identity provider, and the password form is refused
# (superusers excepted: the break-glass path, /accounts/login/?darurat=1, when the provider is down).
PORTAL_LOCAL_PASSWORD_LOGIN = env_bool("LOCAL_PASSWORD_LOGIN", default=True)
