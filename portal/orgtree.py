"""The organisation tree, read one way: `OrgUnit.objects.unit_map()`.

One query reads every unit's parent and name; a `UnitMap` then answers "which OPD (top-level
Perangkat Daerah) is this unit in", "which units make up this OPD" and names from memory, however
deep the tree and however many people are looked up. Monitoring, the training oversight and the
board all read the tree through it; the board keeps its map in the cache beside its generation
token (leaderboard.board.board_meta), dropped whenever a unit is saved or deleted.

The map is a value: immutable, picklable (the board caches it), knowing nothing of the database
once read. It is the tree as it stands now; a tree as it stood on another date would be read
here too (`UnitMap.read` is the one place that turns rows into a map).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet


@dataclass(frozen=True)
class UnitMap:
    """Every unit as (parent, name). Ids of units the map does not hold (or None) have no OPD,
    no name ("") and no units."""

    # unit id -> parent id (None for an OPD); unit id -> short name, or name
    _parents: dict[int, int | None] = field(repr=False)
    _names: dict[int, str] = field(repr=False)

    @classmethod
    def read(cls, units: QuerySet) -> UnitMap:
        """The map of `units` (normally every OrgUnit) in one query."""
        parents, names = {}, {}
        for pk, parent_id, name, short_name in units.values_list(
            "pk", "parent_id", "name", "short_name"
        ):
            parents[pk] = parent_id
            names[pk] = short_name or name
        return cls(parents, names)

    def __getstate__(self) -> dict:
        # Only what was read: the indexes below are rebuilt on demand after unpickling.
        return {"_parents": self._parents, "_names": self._names}

    def parent_of(self, unit_id: int | None) -> int | None:
        return self._parents.get(unit_id)

    def name_of(self, unit_id: int | None) -> str:
        """The short name of a unit, or its name."""
        return self._names.get(unit_id, "")

    def opd_of(self, unit_id: int | None) -> int | None:
        """The OPD of a unit: the top of its branch (the unit itself for an OPD)."""
        if unit_id not in self._parents:
            return None
        seen = set()
        while self._parents.get(unit_id) is not None and unit_id not in seen:
            seen.add(unit_id)
            unit_id = self._parents[unit_id]
        return unit_id

    @property
    def opds(self) -> list[int]:
        """The OPD ids, in the order read (by name)."""
        return [pk for pk, parent_id in self._parents.items() if parent_id is None]

    def units_of_opd(self, opd_id: int | None) -> frozenset[int]:
        """Every unit of an OPD, the OPD included; none for a unit that is not an OPD."""
        return self._members.get(opd_id, frozenset())

    def units_of_opds(self, opd_ids: Iterable[int]) -> set[int]:
        """Every unit of these OPDs."""
        return set().union(*(self.units_of_opd(pk) for pk in opd_ids))

    @cached_property
    def _members(self) -> dict[int, frozenset[int]]:
        members: dict[int, set[int]] = {}
        for pk in self._parents:
            members.setdefault(self.opd_of(pk), set()).add(pk)
        return {pk: frozenset(units) for pk, units in members.items()}
