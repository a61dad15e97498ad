"""Security headers and cookies: CSP, Permissions-Policy, HTTPS in production (README
"Security headers"; `manage.py check --deploy` is clean with the production variables)."""

import os
from urllib.parse import urlsplit

from .accounts import OIDC_ISSUER
from .core import ALLOWED_HOSTS, DEBUG, TESTING, env_bool, env_list

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # Indonesian page, the portal layout
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it to SAMEORIGIN themselves
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4; README "Security headers"). The public site runs no
# inline script or style: JS lives in static/js/, data goes through data-* or json_script.
_csp_frame_src = env_list(
    # Video embeds in stories and lessons (Wagtail embeds are third-party iframes).
    "DJANGO_CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
)
# Websockets go to the same host: CSP Level 3 lets 'self' match ws:/wss: on it; the explicit
# origins below are for browsers that predate that rule.
_csp_connect_src = [
    "'self'",
    *(
        f"{scheme}://{host}"
        for host in ALLOWED_HOSTS
        if host and not host.startswith(".") and host != "*"
        for scheme in (("ws", "wss") if DEBUG else ("wss",))
    ),
]
# The login and logout forms answer with a redirect to the identity provider (portal.sso), and
# browsers hold redirects after a form to form-action: its origin is allowed there.
_csp_form_action = [
    "'self'",
    *(["{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER))] if OIDC_ISSUER else []),
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": _csp_connect_src,
        "frame-src": ["'self'", *_csp_frame_src],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": _csp_form_action,
        "frame-ancestors": ["'none'"],
    }
}
# The editor workspace gets its own, looser policy, for those paths only (portal.middleware):
# Wagtail 8's admin runs inline scripts and injects inline styles (measured in Chromium:
# page and user listings, the page editor), and its preview frames admin URLs from the same
# origin. The Django admin (/django-admin/) works under the strict policy.
PORTAL_CSP_ADMIN_PATH_PREFIXES = ("/admin/",)
PORTAL_CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}
# Permissions-Policy (django-permissions-policy): the portal uses none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
