from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.beranda import MenuItem, beranda_card, register_menu_item

from .demo import seed_training_demo
from .editorial import INDEX_SLUG
from .models import (
    FourEyesPublishMixin,
    LessonPage,
    TrainingIndexPage,
    TrainingModulePage,
)
from .personal_data import training_personal_data
from .progress import jp_this_year, my_modules, progress_for
from .views import serve_lesson

BERANDA_MODULES = 4
# The catalogue page (TrainingIndexPage) made by training.editorial.ensure_training_index.
CATALOGUE_URL = f"/{INDEX_SLUG}/"


@hooks.register("portal_menu_items")
def training_menu_item(request: HttpRequest) -> MenuItem:
    # The oversight pages below /pelatihan/ have their own menu item.
    oversight = request.path.startswith(reverse("training:oversight"))
    return MenuItem(
        _("Pelatihan"),
        CATALOGUE_URL,
        order=20,
        icon="mortarboard",
        active_prefix="" if oversight else CATALOGUE_URL,
    )


register_menu_item(
    _("Pemantauan pelatihan"),
    "training:oversight",
    admin_only=True,
    order=80,
    icon="bar-chart",
    group="kelola",
)


def _is_training_page(page=None, parent=None) -> bool:
    if page is not None:
        return issubclass(page.specific_class or type(page), FourEyesPublishMixin)
    if parent is not None:
        return issubclass(parent.specific_class, (TrainingIndexPage, TrainingModulePage))
    return False


@hooks.register("construct_page_action_menu")
def four_eyes_action_menu(menu_items: list, request: HttpRequest, context: dict) -> None:
    """Training pages are published through the workflow only, never by one of their authors.

    The rule itself is TrainingModulePage.publish() / LessonPage.publish() (every path); this
    hides the buttons that would only meet the refusal: "Terbitkan" (it saves a revision by
    the clicking user, who thereby becomes an author) and "Setujui" for an author.
    """
    page = context.get("page")
    if not _is_training_page(page, context.get("parent_page")):
        return
    author = (
        page is not None and page.pk and page.specific.user_authored_pending_change(request.user)
    )
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "action-publish" and not (author and item.name == "approve")
    ]


def _publish_becomes_draft(request: HttpRequest) -> None:
    """A "Terbitkan" POST on a training page is saved as a draft, with the reason: the typed
    page is kept, and the create view never makes a live page that publish() then refuses."""
    if request.method == "POST" and "action-publish" in request.POST:
        request.POST = request.POST.copy()
        del request.POST["action-publish"]
        messages.warning(
            request,
            _(
                "Halaman pelatihan tidak bisa diterbitkan langsung: disimpan sebagai draf. "
                "Kirim ke moderasi; Moderator Konten yang tidak ikut mengubahnya yang "
                "menyetujui (empat mata)."
            ),
        )


@hooks.register("before_create_page")
def four_eyes_on_create(request: HttpRequest, parent_page, page_class) -> None:
    if issubclass(page_class, FourEyesPublishMixin):
        _publish_becomes_draft(request)


@hooks.register("before_edit_page")
def four_eyes_on_edit(request: HttpRequest, page) -> None:
    if _is_training_page(page):
        _publish_becomes_draft(request)


@beranda_card(_("Pelatihan"), "training/cards/beranda.html", order=20, icon="mortarboard")
def training_card(request: HttpRequest) -> dict:
    user = request.user
    modules = list(my_modules(user)[:BERANDA_MODULES])
    progress = progress_for(user, modules)
    target = settings.TRAINING_JP_TARGET_PER_YEAR
    jp = jp_this_year(user)
    return {
        "modules": [progress[m.pk] for m in modules],
        "jp": jp,
        "jp_target": target,
        "jp_percent": min(100, 100 * jp // target) if target else 100,
        "catalogue_url": CATALOGUE_URL,
    }


@hooks.register("seed_demo", order=20)
def seed_training(stdout=None) -> None:
    seed_training_demo(stdout=stdout)


hooks.register("personal_data_export", training_personal_data)


# After Wagtail's own before_serve_page hooks (view restrictions, order 0), as LessonPage.serve was.
@hooks.register("before_serve_page", order=100)
def gate_lesson(page, request: HttpRequest, serve_args, serve_kwargs) -> HttpResponse | None:
    """A lesson is served by training.views.serve_lesson (sign-in, lock, enrolment)."""
    if isinstance(page, LessonPage):
        return serve_lesson(request, page)
    return None
