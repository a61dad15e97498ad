from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, WorkflowState

from portal.beranda import MenuItem, beranda_card
from portal.models import TIM_KOMUNIKASI

from . import views
from .choosers import employee_chooser_viewset
from .demo import seed_stories
from .models import CONSENT_REFUSED_LOG_ACTION, ConsentMissing, ConsentRequest, SuccessStoryPage


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


@beranda_card(_("Persetujuan cerita"), "cms/cards/consent.html", order=5, icon="chat-square-quote")
def consent_card(request: HttpRequest) -> dict | None:
    """Stories that name me and wait for my consent."""
    pending = list(ConsentRequest.objects.pending_for(request.user))
    return {"requests": pending} if pending else None


@beranda_card(_("Cerita saya"), "cms/cards/author.html", order=6, icon="pencil-square")
def author_card(request: HttpRequest) -> dict | None:
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
    return {"items": items, "admin_url": reverse("wagtailadmin_explore_root")}


@hooks.register("seed_demo", order=30)
def seed_cms_demo(stdout=None) -> None:
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


# --- consent on every publish path (the model refuses; these turn a refusal into a message) ---


@hooks.register("register_log_actions")
def register_consent_log_action(actions):
    actions.register_action(
        CONSENT_REFUSED_LOG_ACTION,
        _("Penerbitan ditolak: persetujuan pegawai belum lengkap"),
        _("Penerbitan ditolak: persetujuan pegawai belum lengkap"),
    )


def _stories_in(pages, *, include_descendants: bool):
    ids = [page.pk for page in pages]
    stories = list(SuccessStoryPage.objects.filter(pk__in=ids))
    if include_descendants:
        for page in pages:
            stories.extend(SuccessStoryPage.objects.descendant_of(page).not_live())
    return stories


@hooks.register("before_bulk_action")
def refuse_bulk_publish_without_consent(request, action_type, objects, action_class_instance):
    """Bulk "Terbitkan": name each story whose employees have not all consented, publish none."""
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    refusals = []
    for story in _stories_in(objects, include_descendants=include_descendants):
        revision = story.get_latest_revision()
        version = revision.as_object() if revision else story
        refusals.extend(_refusal_messages(version))
    if not refusals:
        return None
    for message in refusals:
        messages.error(request, message)
    messages.info(request, _("Tidak ada halaman yang diterbitkan."))
    return redirect(action_class_instance.next_url)


def _refusal_messages(story) -> list[str]:
    try:
        story.check_publication_consent()
    except ConsentMissing as refusal:
        return list(refusal.messages)
    return []


@hooks.register("before_copy_page")
def refuse_published_copies_of_stories(request, page):
    """Consent is given to one story: a copy starts as a draft and goes through the workflow."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    has_story = (
        page.specific_class is SuccessStoryPage
        or SuccessStoryPage.objects.descendant_of(page).exists()
    )
    if not has_story:
        return None
    messages.error(
        request,
        _(
            "Salinan cerita tidak dapat langsung diterbitkan: persetujuan pegawai berlaku untuk "
            "cerita aslinya. Salin tanpa mencentang “terbitkan”, lalu ajukan salinannya."
        ),
    )
    return redirect(request.get_full_path())
