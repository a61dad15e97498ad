from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.views import serve as wagtail_serve

from . import page_cache
from .models import ConsentMissing


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

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A story refused publication (cms.models.SuccessStoryPage.publish/save) on a path
        that has no form to show it on, e.g. a moderator's "Setujui" in the workflow: the
        whole action was rolled back; say why and what to do instead of a 500."""
        if not isinstance(exception, ConsentMissing) or not request.path.startswith("/admin/"):
            return None
        for message in exception.messages:
            messages.error(request, message)
        match = request.resolver_match
        page_id = match and (match.kwargs.get("page_id") or match.kwargs.get("pk"))
        if page_id:
            target = reverse("wagtailadmin_pages:edit", args=[page_id])
        else:
            target = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow modal: close it and go to the page, where the message shows
            return JsonResponse({"step": "success", "redirect": target})
        return redirect(target)
