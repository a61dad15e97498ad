"""Performance's contributions to the portal: menu item, Beranda card, demo data."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.beranda import Card, register_menu_item

from . import rights
from .demo import seed_performance_demo
from .evaluation_demo import seed_evaluation_demo
from .models import (
    Cycle,
    DistributionRule,
    Notification,
    PeriodicReport,
    ReportingPeriod,
    Skp,
)
from .personal_data import performance_personal_data


class DistributionRuleViewSet(SnippetViewSet):
    """Admin BKPSDM edits the kurva distribusi quotas (defaults seeded from the domain data)."""

    model = DistributionRule
    icon = "table"
    menu_label = _("Kurva distribusi")
    menu_name = "kurva-distribusi"
    add_to_admin_menu = True
    menu_order = 410
    list_display = ["capaian", "kind", "predikat", "pct"]
    list_filter = ["capaian"]
    panels = [FieldPanel("capaian"), FieldPanel("kind"), FieldPanel("predikat"), FieldPanel("pct")]


register_snippet(DistributionRuleViewSet)


register_menu_item(_("Kinerja"), "performance:home", order=30, icon="clipboard-data")


@hooks.register("beranda_cards")
def kinerja_card(request: HttpRequest) -> Card | None:
    user = request.user
    if not user.is_authenticated:
        return None
    cycle = Cycle.objects.current()
    period = ReportingPeriod.objects.current(cycle) if cycle else None
    skp = Skp.objects.current_for(user, cycle=cycle) if cycle else None
    # The current period's report is on the SKP that takes it (after a transfer, maybe not the
    # one in force today: PERFORMANCE_TRANSFER_PERIOD_RULE "awal").
    report = (
        PeriodicReport.objects.filter(skp__employee=user, skp__cycle=cycle, period=period).first()
        if skp and period
        else None
    )
    if cycle is None:
        todo = _("Siklus kinerja tahun ini belum dibuka oleh BKPSDM.")
    elif skp is None:
        todo = _("Buat SKP Anda untuk tahun %(year)s.") % {"year": cycle.year}
    elif skp.is_editable:
        todo = _("Lengkapi RHK dan indikator, lalu ajukan SKP Anda.")
    elif not skp.is_approved:
        todo = _("SKP Anda menunggu persetujuan pejabat penilai.")
    elif report is None or report.is_editable:
        todo = _("Isi realisasi dan bukti dukung, lalu ajukan laporan %(period)s.") % {
            "period": period.label
        }
    elif report.status == PeriodicReport.Status.DIAJUKAN:
        todo = _("Laporan Anda menunggu penilaian pejabat penilai.")
    else:
        todo = _("Laporan periode ini sudah dinilai. Lihat predikat dan umpan baliknya.")
    return Card(
        title=_("Kinerja saya"),
        template="performance/cards/beranda.html",
        context={
            "cycle": cycle,
            "period": period,
            "skp": skp,
            "report": report,
            "todo": todo,
            "waiting": PeriodicReport.objects.waiting_for(user).count(),
            # everyone I rate today, as /kinerja/tim/ lists them (performance.rights)
            "team": rights.team_members(user).count(),
            "skps_waiting": Skp.objects.rated_by(user).filter(status=Skp.Status.DIAJUKAN).count(),
            "notifications": list(
                Notification.objects.filter(recipient=user).unread().order_by("-created_at")[:3]
            ),
            "unread": Notification.objects.filter(recipient=user).unread().count(),
        },
        order=20,
        icon="clipboard-data",
    )


@hooks.register("seed_demo", order=40)
def seed_performance(stdout=None) -> None:
    seed_performance_demo(stdout=stdout)


@hooks.register("seed_demo", order=45)
def seed_evaluation(stdout=None) -> None:
    seed_evaluation_demo(stdout=stdout)


@hooks.register("seed_demo", order=50)
def seed_transfer(stdout=None) -> None:
    # local: demo code, loaded only when seed_demo runs
    from .transfer_demo import seed_transfer_demo

    seed_transfer_demo(stdout=stdout)


hooks.register("personal_data_export", performance_personal_data)
