"""Oversight for Admin BKPSDM: who finished which module, per Perangkat Daerah (OPD).

Four queries whatever the number of OPDs, units, people or modules: the unit tree, head
counts per unit, certificates per unit and module, and the modules themselves (the caller's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from portal.models import OrgUnit, User

from .models import Certificate, TrainingModulePage


@dataclass
class Cell:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class OpdRow:
    pk: int
    name: str
    employees: int = 0
    cells: list[Cell] = field(default_factory=list)


def completion_by_opd(modules: list[TrainingModulePage]) -> list[OpdRow]:
    units = OrgUnit.objects.unit_map()
    rows: dict[int, OpdRow] = {}
    for unit_id, count in (
        User.objects.active()
        .filter(org_unit__isnull=False)
        .values_list("org_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        opd = units.opd_of(unit_id)
        if opd is None:
            continue
        row = rows.setdefault(opd, OpdRow(pk=opd, name=units.name_of(opd)))
        row.employees += count
    done: dict[tuple[int, int], int] = {}
    for unit_id, module_id, count in (
        Certificate.objects.filter(
            module_id__in=[m.pk for m in modules],
            user__is_active=True,
            user__org_unit__isnull=False,
        )
        .values_list("user__org_unit_id", "module_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (units.opd_of(unit_id), module_id)
        done[key] = done.get(key, 0) + count
    result = sorted(rows.values(), key=lambda row: row.name.lower())
    for row in result:
        row.cells = [Cell(done.get((row.pk, m.pk), 0), row.employees) for m in modules]
    return result


def totals(rows: list[OpdRow], module_count: int) -> list[Cell]:
    employees = sum(row.employees for row in rows)
    return [Cell(sum(row.cells[i].done for row in rows), employees) for i in range(module_count)]
