"""Performance's contributions to the portal: menu item, Beranda card, demo data.

Extension point offered by this app — "performance_recognition_evidence":
    @hooks.register("performance_recognition_evidence")
    def fn(user, start_date, end_date) -> list[dict]: ...
returns the recognition `user` received between the two dates (inclusive, Asia/Jakarta),
each as {"value_code": <BerAKHLAK code>, "giver_name": str, "message": str,
"created_at": datetime}. The pejabat penilai sees them per value while rating behaviour.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.beranda import Card, MenuItem, cached_reverse

from .models import (
    Cycle,
    DistributionRule,
    Notification,
    PeriodicReport,
    ReportingPeriod,
    Skp,
)


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


@hooks.register("portal_menu_items")
def kinerja_menu_item(request: HttpRequest) -> MenuItem | None:
    if not request.user.is_authenticated:
        return None
    return MenuItem(
        _("Kinerja"),
        cached_reverse("performance:home"),
        order=30,
        icon="clipboard-data",
        active_prefix="/kinerja/",
    )


@hooks.register("beranda_cards")
def kinerja_card(request: HttpRequest) -> Card | None:
    user = request.user
    if not user.is_authenticated:
        return None
    cycle = Cycle.objects.current()
    period = ReportingPeriod.objects.current(cycle) if cycle else None
    skp = Skp.objects.filter(employee=user, cycle=cycle).first() if cycle else None
    report = (
        PeriodicReport.objects.filter(skp=skp, period=period).first() if skp and period else None
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
    from .demo import seed_performance_demo

    seed_performance_demo(stdout=stdout)


@hooks.register("seed_demo", order=45)
def seed_evaluation(stdout=None) -> None:
    from .evaluation_demo import seed_evaluation_demo

    seed_evaluation_demo(stdout=stdout)


@hooks.register("monitoring_training_completion")
def training_completion(opd_ids, period):
    """Training completion for the monitoring table (see performance.monitoring)."""
    from .monitoring import training_completion as completion

    return completion(opd_ids, period)


@hooks.register("personal_data_export")
def performance_personal_data(user) -> dict:
    """My SKPs (RHK, indicators), reports (realisasi, evidence, feedback, history), annual
    ratings and objections, and notifications, for /beranda/data-saya/."""
    from django.db.models import Prefetch

    from .models import Notification, PeriodicReport, Skp

    reports = PeriodicReport.objects.select_related("period__cycle").prefetch_related(
        "realisasi__indicator", "evidence", "feedback__author", "events"
    )
    skps = (
        Skp.objects.filter(employee=user)
        .select_related("cycle", "annual_rating__keberatan")
        .prefetch_related("rhks__indicators", Prefetch("reports", queryset=reports))
        .order_by("cycle__year")
    )

    def annual(skp):
        rating = getattr(skp, "annual_rating", None)
        if rating is None:
            return None
        objection = getattr(rating, "keberatan", None)
        return {
            "rating_hasil_kerja": rating.rating_hasil_kerja,
            "rating_perilaku_kerja": rating.rating_perilaku_kerja,
            "predikat": rating.predikat,
            "rated_at": rating.rated_at,
            "keberatan": None
            if objection is None
            else {
                "reasons": objection.reasons,
                "status": objection.status,
                "decision_note": objection.decision_note,
                "created_at": objection.created_at,
                "decided_at": objection.decided_at,
            },
        }

    return {
        "performance": {
            "skp": [
                {
                    "year": skp.cycle.year,
                    "status": skp.status,
                    "pejabat_penilai": skp.pejabat_penilai_name,
                    "rhk": [
                        {
                            "jenis": rhk.jenis,
                            "text": rhk.text,
                            "indicators": [
                                {
                                    "aspek": i.aspek,
                                    "text": i.text,
                                    "target": str(i.target),
                                    "unit": i.unit,
                                }
                                for i in rhk.indicators.all()
                            ],
                        }
                        for rhk in skp.rhks.all()
                    ],
                    "reports": [
                        {
                            "period": str(report.period),
                            "status": report.status,
                            "narrative": report.narrative,
                            "submitted_at": report.submitted_at,
                            "on_time": report.on_time,
                            "rating_hasil_kerja": report.rating_hasil_kerja,
                            "rating_perilaku_kerja": report.rating_perilaku_kerja,
                            "predikat": report.predikat,
                            "realisasi": [
                                {
                                    "indicator": r.indicator.text,
                                    "value": None if r.value is None else str(r.value),
                                    "text": r.text,
                                }
                                for r in report.realisasi.all()
                            ],
                            "evidence": [
                                {
                                    "name": e.original_name,
                                    "url": e.url,
                                    "sha256": e.sha256,
                                    "at": e.created_at,
                                }
                                for e in report.evidence.all()
                            ],
                            "feedback": [
                                {"author": f.author.full_name, "body": f.body, "at": f.created_at}
                                for f in report.feedback.all()
                            ],
                            "history": [
                                {
                                    "from": e.from_status,
                                    "to": e.to_status,
                                    "note": e.note,
                                    "at": e.at,
                                }
                                for e in report.events.all()
                            ],
                        }
                        for report in skp.reports.all()
                    ],
                    "annual": annual(skp),
                }
                for skp in skps
            ],
            "notifications": list(
                Notification.objects.filter(recipient=user)
                .order_by("pk")
                .values("message", "url", "created_at", "read_at")
            ),
        }
    }
