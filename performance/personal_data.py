"""Performance's section of the personal data export (/beranda/data-saya/, portal.privacy)."""

from django.db.models import Prefetch

from .models import Notification, PeriodicReport, RecordVersion, Skp


def performance_personal_data(user) -> dict:
    """My SKPs (RHK, indicators), reports (realisasi, evidence, feedback, history), annual
    ratings and objections, the kept versions of my records (`RecordVersion` about me: annual
    ratings, ekspektasi, pejabat penilai, perubahan SKP, who changed them and why), and
    notifications, for /beranda/data-saya/."""
    reports = PeriodicReport.objects.select_related("period__cycle").prefetch_related(
        "realisasi__indicator", "evidence", "feedback__author", "events"
    )
    skps = (
        Skp.objects.filter(employee=user)
        .select_related("cycle", "annual_rating__keberatan")
        .prefetch_related("rhks__indicators", Prefetch("reports", queryset=reports))
        .order_by("cycle__year", "starts_on")
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
                    "starts_on": skp.starts_on,
                    "ends_on": skp.ends_on,
                    "jabatan": skp.employee_jabatan,
                    "unit": skp.employee_unit,
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
            "record_versions": [
                {
                    "kind": version.kind,
                    "year": version.cycle.year,
                    "skp_starts_on": version.skp.starts_on if version.skp_id else None,
                    "old": version.old,
                    "new": version.new,
                    "by": version.actor.full_name,
                    "at": version.at,
                    "via": version.via,
                    "reason": version.reason,
                    "document_ref": version.document_ref,
                }
                for version in RecordVersion.objects.filter(employee=user)
                .select_related("cycle", "skp", "actor")
                .order_by("at", "pk")
            ],
            "notifications": list(
                Notification.objects.filter(recipient=user)
                .order_by("pk")
                .values("message", "url", "created_at", "read_at")
            ),
        }
    }
