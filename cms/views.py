from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.auth import require_admin_access
from wagtail.models import Page

from portal.models import TIM_KOMUNIKASI

from . import services
from .forms import ConsentForm
from .listing import search_query
from .models import ConsentRequest

SEARCH_PER_PAGE = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Site search across stories, training pages and standard pages."""
    query = search_query(request)
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().filter(depth__gt=2).search(query, operator="and")
    page_obj = Paginator(results, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {"query": query, "page_obj": page_obj, "pager_query": urlencode({"q": query})},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A featured employee reads the story as submitted and answers for themselves."""
    consent_request = get_object_or_404(
        ConsentRequest.objects.select_related("page", "task_state__revision"), pk=pk
    )
    if consent_request.user_id != request.user.pk:
        raise PermissionDenied
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "setuju"
        try:
            services.answer_consent(
                consent_request=consent_request,
                user=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment" if hasattr(error, "error_dict") else None, error.messages)
        else:
            if approve:
                messages.success(request, _("Terima kasih, persetujuan Anda sudah tercatat."))
            else:
                messages.info(request, _("Jawaban Anda sudah dikirim ke penulis cerita."))
            return redirect("portal:beranda")
    story = consent_request.task_state.revision.as_object()
    return render(
        request,
        "cms/consent.html",
        {"consent_request": consent_request, "story": story, "form": form},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@require_admin_access
@require_http_methods(["GET", "POST"])
def story_from_source(request: HttpRequest, source: str, pk: int) -> HttpResponse:
    """Start a story draft prefilled by the app that owns `source` (e.g. a recognition)."""
    user = request.user
    if not (user.is_superuser or user.groups.filter(name=TIM_KOMUNIKASI).exists()):
        raise PermissionDenied
    data = services.story_prefill(source, pk, user)
    if not data:
        message = _("Sumber cerita tidak ditemukan atau tidak dapat dijadikan cerita.")
        context = {"error": message, "source": source}
        return render(
            request, "cms/admin/story_from_source.html", context, status=HTTPStatus.NOT_FOUND
        )
    if request.method == "POST":
        story = services.create_story_draft(data=data, user=user, source=source, source_pk=pk)
        messages.success(request, _("Draf cerita dibuat. Lengkapi lalu ajukan untuk persetujuan."))
        return redirect("wagtailadmin_pages:edit", story.pk)
    return render(request, "cms/admin/story_from_source.html", {"data": data, "source": source})
