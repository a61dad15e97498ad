"""The year's work of a generated city (`benchmarks.city`): periodic reports with realisasi,
evidence, feedback and ratings, then annual ratings and each OPD's capaian."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from performance import rules
from performance.models import (
    AnnualRating,
    Evidence,
    FeedbackMessage,
    PeriodicReport,
    Realisasi,
    Skp,
    UnitEvaluation,
)
from portal.models import OrgUnit

BATCH = 5000
# Shares of a period's reports (the rest is missing): on time, late, returned for revision.
ON_TIME, LATE, RETURNED = 0.80, 0.13, 0.01
EVIDENCE_SHARE, FEEDBACK_SHARE = 0.35, 0.10
CURRENT_IN = 0.33  # of the open period's reports, in before the deadline day


class YearWriter:
    """Mixed into the city writer: needs its rng, cycle_obj, periods, indicators, rhk_ids,
    raters, year, jan1 and log()."""

    def reports(self) -> None:
        """Per period: reports (on time, late, returned; the rest missing), realisasi for every
        indicator, link evidence for a third, a feedback message for a tenth, and ratings."""
        codes = rules.rating_codes()
        skps = list(
            Skp.objects.filter(cycle=self.cycle_obj).values_list(
                "pk", "employee_id", "pejabat_penilai_id"
            )
        )
        totals = Counter()
        for period in self.periods:
            if period.start > self.today:
                continue  # not begun
            # The current period: a third of the reports in so far, none rated yet.
            current = period.due_date >= self.today
            reports = []
            for skp_id, employee_id, rater_id in skps:
                r = self.rng.random()
                if current and r >= CURRENT_IN:
                    totals["not_yet"] += 1
                    continue
                if current:
                    r = 0.0  # on time, waiting for the rater
                if r >= ON_TIME + LATE + RETURNED:
                    totals["missing"] += 1
                    continue
                late = ON_TIME <= r < ON_TIME + LATE
                returned = r >= ON_TIME + LATE
                due = at_nine(min(period.due_date, self.today))
                submitted = due + (
                    dt.timedelta(days=self.rng.randint(1, 20))
                    if late
                    else -dt.timedelta(days=self.rng.randint(0, 9), hours=self.rng.randint(0, 8))
                )
                submitted = min(submitted, at_nine(self.today))
                report = PeriodicReport(
                    skp_id=skp_id,
                    period=period,
                    narrative="Kegiatan periode ini terlaksana sesuai rencana; rincian terlampir.",
                    submitted_at=submitted,
                    on_time=not late,
                )
                if returned:
                    report.status = PeriodicReport.Status.DIKEMBALIKAN
                    report.return_note = "Lengkapi bukti dukung."
                elif rater_id and not current:
                    report.status = PeriodicReport.Status.DINILAI
                    report.rating_hasil_kerja = self._rating(codes)
                    report.rating_perilaku_kerja = self._rating(codes)
                    report.predikat = rules.predikat(
                        report.rating_hasil_kerja, report.rating_perilaku_kerja
                    )
                    report.rated_by_id = rater_id
                    report.rated_at = submitted + dt.timedelta(days=self.rng.randint(1, 7))
                else:
                    report.status = PeriodicReport.Status.DIAJUKAN
                totals["late" if late else "returned" if returned else "on_time"] += 1
                reports.append((report, employee_id, rater_id))
            made = PeriodicReport.objects.bulk_create(
                [r for r, _e, _a in reports], batch_size=BATCH
            )
            self._report_parts(made, reports, totals)
        for key, n in sorted(totals.items()):
            self.log(f"{self.year}:reports_{key}", n)

    def _report_parts(self, made, reports, totals: Counter) -> None:
        realisasi, evidence, feedback = [], [], []
        for report, (_r, employee_id, rater_id) in zip(made, reports, strict=True):
            for indicator_id in self.indicators[report.skp_id]:
                value = round(self.rng.uniform(0.7, 1.1) * 12, 2)
                realisasi.append(
                    Realisasi(report_id=report.pk, indicator_id=indicator_id, value=value)
                )
            if self.rng.random() < EVIDENCE_SHARE:
                evidence.append(
                    Evidence(
                        report_id=report.pk,
                        url=f"https://drive.bandung.go.id/bukti/{report.pk}",
                        description="Notulen dan daftar hadir",
                        uploaded_by_id=employee_id,
                    )
                )
            rhks = self.rhk_ids.get(employee_id)
            if rater_id and rhks and self.rng.random() < FEEDBACK_SHARE:
                feedback.append(
                    FeedbackMessage(
                        report_id=report.pk,
                        rhk_id=rhks[0],
                        author_id=rater_id,
                        body="Mohon lampirkan rekap capaian per kegiatan.",
                        created_at=report.submitted_at + dt.timedelta(days=1),
                    )
                )
        totals["realisasi"] += len(Realisasi.objects.bulk_create(realisasi, batch_size=BATCH))
        totals["evidence"] += len(Evidence.objects.bulk_create(evidence, batch_size=BATCH))
        totals["feedback"] += len(FeedbackMessage.objects.bulk_create(feedback, batch_size=BATCH))

    def _rating(self, codes: list[str]) -> str:
        """Mostly "as expected" (the middle code), some above, a few below."""
        middle = codes[len(codes) // 2]
        r = self.rng.random()
        if r < 0.72:
            return middle
        return codes[0] if r < 0.92 else codes[-1]

    def annual(self) -> None:
        codes = rules.rating_codes()
        rated = at_nine(dt.date(self.year + 1, 1, 15))
        ratings = []
        for skp_id, rater_id in Skp.objects.filter(cycle=self.cycle_obj).values_list(
            "pk", "pejabat_penilai_id"
        ):
            if not rater_id:
                continue  # rated "on behalf" by BKPSDM for an external rater: left open
            hasil, perilaku = self._rating(codes), self._rating(codes)
            ratings.append(
                AnnualRating(
                    skp_id=skp_id,
                    rating_hasil_kerja=hasil,
                    rating_perilaku_kerja=perilaku,
                    predikat=rules.predikat(hasil, perilaku),
                    rated_by_id=rater_id,
                    rated_at=rated,
                )
            )
        self.log(
            f"{self.year}:annual_ratings",
            len(AnnualRating.objects.bulk_create(ratings, batch_size=BATCH)),
        )
        capaian = [code for code, _label in rules.capaian_choices()]
        sekda = next((uid for uid, rater in self.raters.items() if rater is None), None)
        opds = OrgUnit.objects.filter(parent=None).order_by("pk").values_list("pk", flat=True)
        evaluations = UnitEvaluation.objects.bulk_create(
            UnitEvaluation(
                cycle=self.cycle_obj,
                org_unit_id=opd,
                capaian=capaian[len(capaian) // 2] if self.rng.random() < 0.8 else capaian[0],
                capaian_set_by_id=sekda,
                capaian_set_at=rated,
                capaian_penetap="Sekretaris Daerah",
                capaian_document_ref=f"ND-KOTA/{self.year}/{opd}",
            )
            for opd in opds
        )
        self.log(f"{self.year}:unit_evaluations", len(evaluations))


def at_nine(day: dt.date) -> dt.datetime:
    """Nine in the morning in Asia/Jakarta on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
