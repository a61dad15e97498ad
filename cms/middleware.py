import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import ConsentMissing

# How long after Wagtail's autosave created a page a second create of it counts as the same
# person's same page (a submit that crossed the autosave), not a new page with a taken slug.
CREATED_MEANWHILE = dt.timedelta(minutes=10)


class ConsentMissingMiddleware:
    """Turns what Wagtail's admin raises where it has no form to say it on into a message: a
    story refused publication, and a new page that its own autosave created meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A story refused publication (cms.models.SuccessStoryPage.publish/save) on a path
        that has no form to show it on, e.g. a moderator's "Setujui" in the workflow: the
        whole action was rolled back; say why and what to do instead of a 500."""
        if not isinstance(exception, ConsentMissing):  # a ValidationError too: asked first
            if isinstance(exception, ValidationError):
                return created_meanwhile(request, exception)
            return None
        if not request.path.startswith("/admin/"):
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


def created_meanwhile(request: HttpRequest, exception: ValidationError):
    """Wagtail's editor autosaves a new page while it is typed, and the first autosave creates
    it. A second create sent before the first one's answer arrived (the author's "Kirim untuk
    moderasi" crossing an autosave, on a slow line) passes the form's slug check, then loses at
    the database: a ValidationError on the slug, which Wagtail leaves as a 500. When the page
    that took the slug is this author's draft made moments ago, it is the same page: open its
    draft, which holds what was typed up to the autosave, and say what to do next."""
    match = request.resolver_match
    if (
        request.method != "POST"
        or not match
        or match.view_name != "wagtailadmin_pages:add"
        or "slug" not in getattr(exception, "error_dict", {})
    ):
        return None
    parent = Page.objects.filter(pk=match.kwargs.get("parent_page_id")).first()
    draft = (
        parent
        and parent.get_children()
        .filter(
            slug=request.POST.get("slug", ""),
            owner=request.user,
            live=False,
            first_published_at__isnull=True,
            latest_revision_created_at__gte=timezone.now() - CREATED_MEANWHILE,
        )
        .first()
    )
    if draft is None:
        return None
    target = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    message = _(
        "Halaman ini sudah tersimpan otomatis sebagai draf saat tombol ditekan. Periksa isinya, "
        "lalu pilih tindakan Anda sekali lagi."
    )
    if not request.accepts("text/html"):  # the autosave itself: Wagtail's JSON error shape
        return JsonResponse(
            {"success": False, "error_code": "created_meanwhile", "error_message": message},
            status=400,  # the status of every error Wagtail's own editor client reads
        )
    messages.warning(request, message)
    return redirect(target)
