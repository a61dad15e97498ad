from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.beranda import Card, MenuItem, cached_reverse

from .progress import jp_this_year, my_modules, progress_for

BERANDA_MODULES = 4


@hooks.register("portal_menu_items")
def training_menu_item(request: HttpRequest) -> MenuItem:
    # The oversight pages below /pelatihan/ have their own menu item.
    oversight = request.path.startswith(cached_reverse("training:oversight"))
    return MenuItem(
        _("Pelatihan"),
        "/pelatihan/",
        order=20,
        icon="mortarboard",
        active_prefix="" if oversight else "/pelatihan/",
    )


@hooks.register("portal_menu_items")
def oversight_menu_item(request: HttpRequest) -> MenuItem | None:
    if not request.user.is_authenticated or not request.user.is_bkpsdm_admin:
        return None
    return MenuItem(
        _("Pemantauan pelatihan"),
        cached_reverse("training:oversight"),
        order=80,
        icon="bar-chart",
        active_prefix=cached_reverse("training:oversight"),
        group="kelola",
    )


@hooks.register("beranda_cards")
def training_card(request: HttpRequest) -> Card:
    user = request.user
    modules = list(my_modules(user)[:BERANDA_MODULES])
    progress = progress_for(user, modules)
    target = settings.TRAINING_JP_TARGET_PER_YEAR
    jp = jp_this_year(user)
    return Card(
        title=_("Pelatihan"),
        template="training/cards/beranda.html",
        context={
            "modules": [progress[m.pk] for m in modules],
            "jp": jp,
            "jp_target": target,
            "jp_percent": min(100, 100 * jp // target) if target else 100,
            "catalogue_url": "/pelatihan/",
        },
        order=20,
        icon="mortarboard",
    )


@hooks.register("seed_demo", order=20)
def seed_training(stdout=None) -> None:
    from .demo import seed_training_demo

    seed_training_demo(stdout=stdout)


@hooks.register("personal_data_export")
def training_personal_data(user) -> dict:
    """My enrolments, lessons done, quiz attempts and certificates, for /beranda/data-saya/."""
    from .models import Certificate, Enrollment, LessonCompletion, QuizAttempt

    return {
        "training": {
            "enrollments": [
                {
                    "module": e.module.title,
                    "enrolled_at": e.created_at,
                    "completed_at": e.completed_at,
                }
                for e in Enrollment.objects.filter(user=user)
                .select_related("module")
                .order_by("pk")
            ],
            "lessons_completed": [
                {"lesson": c.lesson.title, "completed_at": c.completed_at}
                for c in LessonCompletion.objects.filter(user=user)
                .select_related("lesson")
                .order_by("pk")
            ],
            "quiz_attempts": [
                {"module": a.module.title, "score": a.score, "passed": a.passed, "at": a.created_at}
                for a in QuizAttempt.objects.filter(user=user)
                .select_related("module")
                .order_by("pk")
            ],
            "certificates": list(
                Certificate.objects.filter(user=user)
                .order_by("pk")
                .values("code", "module_title", "jp", "score", "issued_at")
            ),
        }
    }
