"""Monitoring per OPD and period (issue 7): reads only, aggregated in a fixed number of queries.

Every figure is grouped by the employee's own `org_unit` in the database and rolled up to the OPD
in Python from one query over all units, so the number of queries does not grow with the number
of OPDs or employees.

Extension point offered here — "monitoring_training_completion":
    @hooks.register("monitoring_training_completion")
    def fn(opd_ids: list[int], period) -> dict[int, tuple[int, int]]: ...
returns, per OPD id, (employees who completed the mandatory training, employees counted) in a
fixed number of queries. The training app answers it; without an answer the column shows "–".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks

from portal.models import OrgUnit, User

from .models import PeriodicReport, ReportingPeriod, Skp

TRAINING_HOOK = "monitoring_training_completion"


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


def unit_to_opd() -> dict[int, int]:
    """Every OrgUnit id -> the id of its OPD (the top of its branch). One query."""
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    result: dict[int, int] = {}
    for pk in parents:
        node, seen = pk, set()
        while parents.get(node) is not None and node not in seen:
            seen.add(node)
            node = parents[node]
        result[pk] = node
    return result


def _roll_up(rows, key: str, opd_of: dict[int, int]) -> dict[int, dict]:
    totals: dict[int, dict] = {}
    for row in rows:
        opd = opd_of.get(row.pop(key))
        if opd is None:
            continue
        bucket = totals.setdefault(opd, {})
        for name, value in row.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)
    return totals


def _period_bounds(period: ReportingPeriod) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def monitoring_rows(period: ReportingPeriod, opds: list[OrgUnit]) -> list[OpdRow]:
    from leaderboard.models import Recognition

    opd_of = unit_to_opd()
    wanted = {opd.pk for opd in opds}
    unit_ids = [unit for unit, opd in opd_of.items() if opd in wanted]
    rows = {opd.pk: OpdRow(opd=opd) for opd in opds}

    employees = _roll_up(
        User.objects.filter(is_active=True, org_unit_id__in=unit_ids)
        .values("org_unit_id")
        .annotate(n=Count("pk")),
        "org_unit_id",
        opd_of,
    )
    skps = _roll_up(
        Skp.objects.filter(
            cycle_id=period.cycle_id,
            status=Skp.Status.DISETUJUI,
            employee__org_unit_id__in=unit_ids,
        )
        .values("employee__org_unit_id")
        .annotate(n=Count("pk")),
        "employee__org_unit_id",
        opd_of,
    )
    reports = _roll_up(
        PeriodicReport.objects.filter(
            period=period,
            submitted_at__isnull=False,
            skp__status=Skp.Status.DISETUJUI,
            skp__employee__org_unit_id__in=unit_ids,
        )
        .values("skp__employee__org_unit_id")
        .annotate(
            n_on_time=Count("pk", filter=Q(on_time=True)),
            n_late=Count("pk", filter=Q(on_time=False)),
            n_rated=Count("pk", filter=Q(status=PeriodicReport.Status.DINILAI)),
        ),
        "skp__employee__org_unit_id",
        opd_of,
    )
    start, end = _period_bounds(period)
    recognitions = _roll_up(
        Recognition.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            revoked_at__isnull=True,
            receiver__org_unit_id__in=unit_ids,
        )
        .values("receiver__org_unit_id")
        .annotate(n=Count("pk")),
        "receiver__org_unit_id",
        opd_of,
    )
    training: dict[int, tuple[int, int]] = {}
    for fn in hooks.get_hooks(TRAINING_HOOK):
        training.update(fn(list(wanted), period) or {})

    for pk, row in rows.items():
        row.employees = employees.get(pk, {}).get("n", 0)
        row.skp_approved = skps.get(pk, {}).get("n", 0)
        row.on_time = reports.get(pk, {}).get("n_on_time", 0)
        row.late = reports.get(pk, {}).get("n_late", 0)
        row.rated = reports.get(pk, {}).get("n_rated", 0)
        row.recognitions = recognitions.get(pk, {}).get("n", 0)
        row.training = training.get(pk)
    return list(rows.values())


def late_people(period: ReportingPeriod, opd: OrgUnit):
    """Approved SKPs in the OPD whose report for the period was late, or is missing and overdue."""
    ids = OrgUnit.objects.descendant_ids(opd)
    skps = Skp.objects.filter(
        cycle_id=period.cycle_id, status=Skp.Status.DISETUJUI, employee__org_unit_id__in=ids
    )
    late_q = Q(reports__period=period, reports__on_time=False)
    if period.is_overdue:
        submitted = PeriodicReport.objects.filter(period=period, submitted_at__isnull=False)
        late_q |= ~Q(pk__in=submitted.values("skp_id"))
    return (
        skps.filter(late_q)
        .select_related("employee__org_unit", "pejabat_penilai")
        .distinct()
        .order_by("employee__full_name")
    )


def training_completion(opd_ids: list[int], period: ReportingPeriod) -> dict[int, tuple[int, int]]:
    """Answer to TRAINING_HOOK from training's certificates: per OPD, active employees holding a
    certificate (issued by the end of the period) for every live mandatory module. 3 queries."""
    from training.models import Certificate, TrainingModulePage

    opd_of = unit_to_opd()
    wanted = set(opd_ids)
    unit_ids = [unit for unit, opd in opd_of.items() if opd in wanted]
    staff = _roll_up(
        User.objects.filter(is_active=True, org_unit_id__in=unit_ids)
        .values("org_unit_id")
        .annotate(n=Count("pk")),
        "org_unit_id",
        opd_of,
    )
    mandatory = list(
        TrainingModulePage.objects.live().filter(mandatory=True).values_list("pk", flat=True)
    )
    if not mandatory:
        done = {opd: row["n"] for opd, row in staff.items()}
    else:
        _start, end = _period_bounds(period)
        holders = (
            Certificate.objects.filter(
                module_id__in=mandatory,
                issued_at__lt=end,
                user__is_active=True,
                user__org_unit_id__in=unit_ids,
            )
            .values("user_id", "user__org_unit_id")
            .annotate(n=Count("module_id", distinct=True))
            .filter(n=len(mandatory))
        )
        done = {}
        for row in holders:
            opd = opd_of.get(row["user__org_unit_id"])
            done[opd] = done.get(opd, 0) + 1
    return {opd: (done.get(opd, 0), staff.get(opd, {}).get("n", 0)) for opd in wanted}
