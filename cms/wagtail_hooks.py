from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, WorkflowState

from portal.beranda import Card, MenuItem
from portal.models import TIM_KOMUNIKASI

from . import views
from .choosers import employee_chooser_viewset
from .models import ConsentRequest


@hooks.register("register_admin_urls")
def story_admin_urls():
    return [
        path(
            "cerita/dari/<slug:source>/<int:pk>/",
            views.story_from_source,
            name="cms_story_from_source",
        )
    ]


@hooks.register("register_admin_viewset")
def register_employee_chooser():
    return employee_chooser_viewset


@hooks.register("portal_menu_items")
def stories_menu_item(request: HttpRequest) -> MenuItem:
    return MenuItem(_("Cerita"), "/cerita/", order=40, icon="newspaper", active_prefix="/cerita/")


@hooks.register("beranda_cards")
def consent_card(request: HttpRequest) -> Card | None:
    """Stories that name me and wait for my consent."""
    pending = list(ConsentRequest.objects.pending_for(request.user))
    if not pending:
        return None
    return Card(
        title=_("Persetujuan cerita"),
        template="cms/cards/consent.html",
        context={"requests": pending},
        order=5,
        icon="chat-square-quote",
    )


@hooks.register("beranda_cards")
def author_card(request: HttpRequest) -> Card | None:
    """For Tim Komunikasi: my stories sent back, with the decline or rejection comment."""
    user = request.user
    if not user.groups.filter(name=TIM_KOMUNIKASI).exists():
        return None
    returned = list(
        WorkflowState.objects.filter(requested_by=user, status=WorkflowState.STATUS_NEEDS_CHANGES)
        .select_related("current_task_state__task", "current_task_state__finished_by")
        .order_by("-pk")[:5]
    )
    stories = {
        page.pk: page
        for page in Page.objects.filter(pk__in=[int(state.object_id) for state in returned])
    }
    items = [
        {"state": state, "page": stories.get(int(state.object_id))}
        for state in returned
        if int(state.object_id) in stories
    ]
    return Card(
        title=_("Cerita saya"),
        template="cms/cards/author.html",
        context={"items": items, "admin_url": reverse("wagtailadmin_explore_root")},
        order=6,
        icon="pencil-square",
    )


@hooks.register("seed_demo", order=30)
def seed_cms_demo(stdout=None) -> None:
    from .demo import seed_stories

    seed_stories(stdout=stdout)


@hooks.register("personal_data_export")
def cms_personal_data(user) -> dict:
    """Stories I was asked to appear in, and my answers, for /beranda/data-saya/."""
    requests = ConsentRequest.objects.filter(user=user).select_related("page").order_by("pk")
    return {
        "stories": {
            "consent_requests": [
                {
                    "story": r.page.title,
                    "status": r.status,
                    "comment": r.comment,
                    "asked_at": r.created_at,
                    "answered_at": r.answered_at,
                }
                for r in requests
            ]
        }
    }
