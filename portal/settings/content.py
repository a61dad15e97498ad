"""Wagtail: the editor workspace, search, documents, and the anonymous page cache."""

import os

from .core import PORTAL_BASE_URL

WAGTAIL_SITE_NAME = "Portal Kinerja ASN Kota Bandung"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the city's network may be closed
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("id", "Bahasa Indonesia")]
# Nobody sets another person's password (issue 14): the user forms have no password fields; a
# new account gets the "Lupa kata sandi" e-mail and chooses its own (portal.people).
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The database backend picks PostgreSQL full-text search on PostgreSQL (with the Indonesian
# stemmer: "layanan" finds "pelayanan") and SQLite FTS otherwise.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "indonesian"}
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Public pages for anonymous visitors are served from the cache (portal/page_cache.py), refreshed
# on every content change; this bounds what changes with time alone. 0 switches it off.
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("CMS_PAGE_CACHE_SECONDS", "300"))
