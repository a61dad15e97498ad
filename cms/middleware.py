from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import ConsentMissing


class ConsentMissingMiddleware:
    """Turns a story refused publication on an admin path without a form into a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

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
