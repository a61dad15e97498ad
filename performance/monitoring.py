"""Monitoring per OPD and period: reads only, aggregated in a fixed number of queries.

Every figure is grouped by the employee's own `org_unit` in the database and rolled up to the OPD
in Python from one query over all units, so the number of queries does not grow with the number
of OPDs or employees. Training completion comes from training's certificates
(`Certificate.objects.completion_by_unit`; performance may import training).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from leaderboard.models import Recognition
from portal.models import OrgUnit, User
from portal.sql import among
from training.models import Certificate, TrainingModulePage

from .models import PeriodicReport, ReportingPeriod, Skp


@dataclass
class OpdRow:
    opd: OrgUnit
    employees: int = 0
    skp_approved: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    recognitions: int = 0
    training: tuple[int, int] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return max(self.skp_approved - self.submitted, 0)


def _roll_up(rows, key: str, opd_of: Callable[[int], int | None]) -> dict[int, dict]:
    totals: dict[int, dict] = {}
    for row in rows:
        opd = opd_of(row.pop(key))
        if opd is None:
            continue
        bucket = totals.setdefault(opd, {})
        for name, value in row.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)
    return totals


def _count_by_opd(
    rows: QuerySet, unit: str, opd_of: Callable[[int], int | None]
) -> dict[int, dict]:
    """`rows` counted per unit (`unit`: the path to the unit id) in the database, per OPD here:
    {opd id: {"n": count}}."""
    return _roll_up(rows.values(unit).annotate(n=Count("pk")), unit, opd_of)


def _period_bounds(period: ReportingPeriod) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def monitoring_rows(period: ReportingPeriod, opds: list[OrgUnit]) -> list[OpdRow]:
    units = OrgUnit.objects.unit_map()
    opd_of = units.opd_of
    unit_ids = sorted(units.units_of_opds(opd.pk for opd in opds))
    rows = {opd.pk: OpdRow(opd=opd) for opd in opds}

    # Each approved SKP that takes the period (one per person, in its post's unit: after a
    # transfer a period before it counts in the old OPD), and how many of their people's reports
    # of the period (made on that SKP, or on the one before a transfer) are in on time, late,
    # or rated. One grouped query, one pass over the SKPs: each count a semi-join on the
    # period's reports (a hashed subplan in PostgreSQL), where a subquery per SKP ran 16,000
    # times at city scale and a query per count read the SKPs four times.
    taking = (
        Skp.objects.taking(period)
        .filter(status=Skp.Status.DISETUJUI)
        .in_units(unit_ids)
        .with_post_unit()
    )
    submitted = PeriodicReport.objects.filter(period=period, submitted_at__isnull=False)

    def reported(reports: QuerySet) -> Q:
        return Q(employee__in=reports.values("skp__employee_id"))

    skps = _roll_up(
        taking.values("post_unit_id").annotate(
            n=Count("pk"),
            n_on_time=Count("pk", filter=reported(submitted.filter(on_time=True))),
            n_late=Count("pk", filter=reported(submitted.filter(on_time=False))),
            n_rated=Count(
                "pk", filter=reported(submitted.filter(status=PeriodicReport.Status.DINILAI))
            ),
        ),
        "post_unit_id",
        opd_of,
    )
    start, end = _period_bounds(period)
    recognitions = _count_by_opd(
        Recognition.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            revoked_at__isnull=True,
            receiver__org_unit_id__in=among(OrgUnit, "id", unit_ids),
        ),
        "receiver__org_unit_id",
        opd_of,
    )
    training = _training_by_opd(opd_of, unit_ids, end)

    for pk, row in rows.items():
        row.training = training.get(pk, (0, 0))
        row.employees = row.training[1]  # the active employees, counted with the training
        row.skp_approved = skps.get(pk, {}).get("n", 0)
        row.on_time = skps.get(pk, {}).get("n_on_time", 0)
        row.late = skps.get(pk, {}).get("n_late", 0)
        row.rated = skps.get(pk, {}).get("n_rated", 0)
        row.recognitions = recognitions.get(pk, {}).get("n", 0)
    return list(rows.values())


def _with_report(period: ReportingPeriod, skps):
    """`skps` with the facts of their employee's submitted report for `period`, on whichever of
    their SKPs it was made: `period_submitted_at` (None: not in), `period_on_time`,
    `period_status`."""
    report = PeriodicReport.objects.filter(
        skp__employee_id=OuterRef("employee_id"), period=period, submitted_at__isnull=False
    ).order_by("-submitted_at")
    return skps.annotate(
        period_submitted_at=Subquery(report.values("submitted_at")[:1]),
        period_on_time=Subquery(report.values("on_time")[:1]),
        period_status=Subquery(report.values("status")[:1]),
    )


def opd_unit_ids(opds: list[OrgUnit]) -> list[int]:
    """Every unit id inside these OPDs. One query, whatever the depth of the tree."""
    return sorted(OrgUnit.objects.unit_map().units_of_opds(opd.pk for opd in opds))


def reports_behind(period: ReportingPeriod, unit_ids: list[int]):
    """Approved SKPs taking the period, of posts in these units, whose report for the period is
    not in yet (before or after the due date) or came in late — the names behind "belum lapor"
    and "terlambat". Each SKP carries `period_submitted_at` (None: not in) and its post's `post_unit_id`,
    `post_unit_name` and `post_jabatan`.
    One query however many people."""
    return (
        _with_report(period, Skp.objects.taking(period).filter(status=Skp.Status.DISETUJUI))
        .in_units(unit_ids)
        .with_post_unit()
        .annotate(
            post_unit_name=Coalesce("assignment__org_unit__name", "employee__org_unit__name"),
            post_jabatan=Coalesce("assignment__jabatan", "employee__jabatan"),
        )
        .filter(Q(period_submitted_at__isnull=True) | Q(period_on_time=False))
        .select_related("employee", "pejabat_penilai")
        .order_by("employee__full_name", "pk")
    )


def late_people(period: ReportingPeriod, opd: OrgUnit):
    return reports_behind(period, opd_unit_ids([opd]))


def training_behind(period: ReportingPeriod, unit_ids: list[int]):
    """Active employees of these units who do not hold a certificate (issued by the end of the
    period) for every live mandatory module: the names behind the training column. Fixed
    queries; nobody when no mandatory module is live."""
    mandatory = list(
        TrainingModulePage.objects.live().filter(mandatory=True).values_list("pk", flat=True)
    )
    if not mandatory:
        return User.objects.none()
    _start, end = _period_bounds(period)
    complete = (
        Certificate.objects.filter(module_id__in=mandatory, issued_at__lt=end)
        .values("user_id")
        .annotate(n=Count("module_id", distinct=True))
        .filter(n=len(mandatory))
        .values("user_id")
    )
    return (
        User.objects.filter(is_active=True, org_unit_id__in=among(OrgUnit, "id", unit_ids))
        .exclude(pk__in=complete)
        .select_related("org_unit", "atasan")
        .order_by("full_name", "pk")
    )


def sort_rows(rows: list[OpdRow], order: str, *, hide_empty: bool) -> list[OpdRow]:
    """The OPD table as people read it: OPDs without staff hidden, the worst first (the
    largest share of approved SKPs without an on-time report), or by name."""
    if hide_empty:
        rows = [row for row in rows if row.employees]
    if order == "nama":
        return sorted(rows, key=lambda row: row.opd.name.lower())
    if order == "belum":
        return sorted(rows, key=lambda row: (-row.missing, -row.late, row.opd.name.lower()))
    if order == "pelatihan":
        return sorted(
            rows,
            key=lambda row: (
                (row.training[0] / row.training[1]) if row.training and row.training[1] else 1,
                row.opd.name.lower(),
            ),
        )

    def behind(row: OpdRow) -> float:
        return (row.missing + row.late) / row.skp_approved if row.skp_approved else 0

    return sorted(rows, key=lambda row: (-behind(row), -row.missing, row.opd.name.lower()))


def _training_by_opd(
    opd_of: Callable[[int], int | None], unit_ids: list[int], end: dt.datetime
) -> dict[int, tuple[int, int]]:
    """Per OPD: (active employees holding a certificate, issued before `end`, for every live
    mandatory module; active employees), from training's certificates. 2 queries; the OPD of
    each unit comes from the caller's tree read."""
    totals: dict[int, tuple[int, int]] = {}
    for unit, (done, staff) in Certificate.objects.completion_by_unit(unit_ids, end).items():
        opd = opd_of(unit)
        old_done, old_staff = totals.get(opd, (0, 0))
        totals[opd] = (old_done + done, old_staff + staff)
    return totals
