from django.http import HttpRequest, HttpResponse
from wagtail.views import serve as wagtail_serve

from . import page_cache


class PageCacheMiddleware:
    """Serves public Wagtail pages to anonymous visitors from the page cache (cms.page_cache).

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
