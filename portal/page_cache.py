"""The public page cache: whole Wagtail pages for anonymous visitors, served before routing
(`portal.middleware.PageCacheMiddleware`, last in MIDDLEWARE).

Design (README "Stories and the public site"):
- Only responses of Wagtail's `serve` view are cached, only for anonymous GET/HEAD requests
  (no session or messages cookie, not htmx), and only when the query string holds nothing but
  the listing filters the apps registered (`cache_query_params`); the key is scheme + host +
  language + path + query.
- One global content version (a random token in the cache) is stored with every entry and
  bumped, at once and again after commit, by any change that can show on a public page. The
  page tree and what Wagtail holds for every page (sites, view restrictions, images,
  documents) are connected here (`connect_wagtail`, from PortalConfig.ready); every app
  connects its own models that pages show (`invalidate_on`, from its AppConfig.ready: people
  and units in portal, site chrome, consent answers and tags in cms, recognitions in
  leaderboard). A hit is an entry whose version is the current one; the version and the
  entry come in one round trip (`get_many`). Entries also expire after
  `CMS_PAGE_CACHE_SECONDS` (default 300; 0 switches the cache off) for what changes with time.
- The CSRF token is per visitor: before storing, every token in the body is replaced by a
  placeholder, and each hit gets the visitor's own token (and cookie) in its place.
- Nothing is stored when the response is not a plain 200, says `Cache-Control: private`,
  no-cache or no-store, sets a cookie, changed the session, queued a message, or used a CSP
  nonce (the public policy has none today; a body with a nonce would carry a stale one).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Collection

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
# An entry is a plain tuple (version, status, headers, content, has_csrf): nothing that a
# new release could fail to unpickle. Change the prefix when the shape changes.
ENTRY_PREFIX = "page-cache:v1:"
# Query parameters of public listings (stories, training catalogue), registered by their apps
# (`cache_query_params`); any other parameter (search terms, personal filters, cache
# busters) is served uncached and never stored.
_cacheable_params: set[str] = set()
MAX_PARAM_LENGTH = 40
CSRF_PLACEHOLDER = "page-cache-csrf-token-placeholder"
_TOKEN_RE = re.compile(r"[a-zA-Z0-9]{64}")
_STORED_HEADERS = ("Content-Type",)  # the outer middleware adds the rest per response


def cache_seconds() -> int:
    return settings.CMS_PAGE_CACHE_SECONDS


# --- the version ---------------------------------------------------------------------------


def current_version() -> str:
    try:
        return cache.get(VERSION_KEY) or _new_version()
    except Exception:  # the cache is down: a token nobody has stored under
        logger.warning("page cache unavailable", exc_info=True)
        return uuid.uuid4().hex


def fragment_version() -> str:
    """The version for `{% wagtailpagecache %}` keys; unique per call when the cache is off,
    so no fragment is ever reused then."""
    return current_version() if cache_seconds() > 0 else uuid.uuid4().hex


def _new_version() -> str:
    token = uuid.uuid4().hex
    # add(): when two processes start at once, both settle on the first token stored.
    if cache.add(VERSION_KEY, token, None):
        return token
    return cache.get(VERSION_KEY) or token


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        # The change itself is saved; pages may be stale for CMS_PAGE_CACHE_SECONDS at most.
        logger.warning("page cache version not bumped", exc_info=True)


def bump_version(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached page stale: now, and again once the current transaction commits.

    A request renders from what it read and stores under the version it saw when it
    started, so a page rendered before the commit can only be stored under a version that
    the commit's bump retires. One after-commit bump per transaction, however many rows.
    """
    _bump()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump, using=using)


# --- requests and keys ---------------------------------------------------------------------


def is_cacheable_request(request: HttpRequest) -> bool:
    if cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # a session may hold a login, messages or passed page restrictions
    if request.headers.get("HX-Request") or getattr(request, "is_preview", False):
        return False
    # Listing filters only, one short value each: the number of keys stays bounded.
    return all(
        name in _cacheable_params and len(values) == 1 and len(values[0]) <= MAX_PARAM_LENGTH
        for name, values in request.GET.lists()
    )


def entry_key(request: HttpRequest) -> str:
    raw = "\n".join(
        (
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            request.get_full_path(),
        )
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def lookup(key: str, request: HttpRequest) -> tuple[str | None, HttpResponse | None]:
    """(current version, the cached response or None) in one cache round trip; (None, None)
    when the cache is down (the page is rendered, and not stored)."""
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or _new_version()
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return None, None
    entry = found.get(key)
    if not isinstance(entry, tuple) or len(entry) != 5 or entry[0] != version:
        return version, None
    _, status, headers, content, has_csrf = entry
    if has_csrf:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    # What the rendered page would have said: it differs for logged-in visitors.
    patch_vary_headers(response, ["Cookie"])
    response["X-Page-Cache"] = "hit"
    return version, response


def _without_csrf_tokens(request: HttpRequest, content: bytes) -> tuple[bytes, bool] | None:
    """The body with this visitor's CSRF tokens replaced by the placeholder; None when a
    token cannot be told apart (never store then)."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return content, False  # no token was asked for while rendering
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    try:
        text = content.decode()
    except UnicodeDecodeError:
        return None
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        if _unmask_cipher_token(match.group()) == secret:
            found = True
            return CSRF_PLACEHOLDER
        return match.group()

    text = _TOKEN_RE.sub(replace, text)
    if secret in text:
        return None
    return text.encode(), found


def store(key: str, version: str, request: HttpRequest, response: HttpResponse) -> bool:
    """Keep an anonymous page response for everyone, when nothing in it is personal."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
    ):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    if getattr(request, "_csp_nonce", None):
        return False  # django-csp made a per-request nonce: the body carries it
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cleaned = _without_csrf_tokens(request, response.content)
    if cleaned is None:
        return False
    content, has_csrf = cleaned
    headers = tuple((name, response[name]) for name in _STORED_HEADERS if response.has_header(name))
    entry = (version, response.status_code, headers, content, has_csrf)
    try:
        cache.set(key, entry, cache_seconds())
    except Exception:
        logger.warning("page not cached", exc_info=True)
        return False
    return True


# --- what apps register (their AppConfig.ready) --------------------------------------------

UID = "portal.page_cache"


def cache_query_params(*names: str) -> None:
    """Filters of a public listing: a page whose query string holds only registered parameters
    (one short value each) is cached under its full path."""
    _cacheable_params.update(names)


def invalidate_on(*senders, quiet_fields: Collection[str] = (), on_create: bool = True) -> None:
    """Every save and delete of these models (a model or "app_label.Model") can show on a
    public page: each makes every cached page stale. `quiet_fields`: a save that changes only
    these shows nowhere (a login's `last_login`); `on_create=False`: a new row is on no page
    yet."""
    quiet = frozenset(quiet_fields)

    def changed(sender, using=None, update_fields=None, created=False, **kwargs) -> None:
        if quiet and update_fields is not None and set(update_fields) <= quiet:
            return
        if created and not on_create:
            return
        bump_version(using or DEFAULT_DB_ALIAS)

    for sender in senders:
        label = sender if isinstance(sender, str) else sender._meta.label
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(changed, sender=sender, weak=False, dispatch_uid=f"{UID}:{name}:{label}")


def _page_changed(sender, using=None, **kwargs) -> None:  # and a rendition deleted
    bump_version(using or DEFAULT_DB_ALIAS)


def _page_saved(sender, instance, using=None, update_fields=None, **kwargs) -> None:
    # Revisions and drafts save the page with update_fields; publishing is a full save
    # (and sends page_published), so do direct changes to a live page in code.
    if update_fields is None and instance.live:
        bump_version(using or DEFAULT_DB_ALIAS)


def connect_wagtail() -> None:
    """Publishing, unpublishing, moving, deleting and saving live pages, and what Wagtail
    holds for every page (sites, view restrictions, images, documents), bump the version
    (PortalConfig.ready)."""
    # local: Wagtail's models load with the apps; this module is imported by apps.py files
    from wagtail.models import Page, PageViewRestriction, Site, get_page_models

    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(_page_changed, dispatch_uid=f"{UID}:{name}")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid=f"{UID}:page-delete")
    for model in get_page_models():
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"{UID}:save:{model._meta.label}")
    image_model = get_image_model()
    invalidate_on(Site, PageViewRestriction, get_document_model())
    invalidate_on(image_model, quiet_fields={"file_size", "file_hash"})  # file metadata
    renditions = image_model.renditions.rel.related_model
    post_delete.connect(_page_changed, sender=renditions, dispatch_uid=f"{UID}:delete:renditions")
