"""Performance management (PermenPANRB 6/2022): SKP, periodic reports, feedback, ratings.

Writes with rules go through `performance.services`; these models hold the shape, the
invariants (DB constraints) and the object-level permission questions (`can_*`).
Every model is imported here so Django registers it under the app label `performance`.
"""

from portal.notifications import Notification, NotificationQuerySet

from .common import (
    StatusEvent,
    is_admin,
    perspektif_choices,
    predikat_choices,
    rating_choices,
    rating_guidance,
    today,
    value_choices,
    value_name,
)
from .evaluation import (
    AnnualRating,
    DistributionRule,
    DistributionRuleQuerySet,
    Keberatan,
    UnitEvaluation,
    capaian_choices,
)
from .history import RecordVersion, RecordVersionQuerySet
from .notifications import Reminder
from .planning import Cycle, CycleQuerySet, ReportingPeriod, ReportingPeriodQuerySet
from .reports import (
    Evidence,
    FeedbackMessage,
    PeriodicReport,
    PeriodicReportQuerySet,
    Realisasi,
    ReportEvent,
    evidence_path,
    private_storage,
)
from .skp import (
    ExpectationKhusus,
    Indicator,
    IndicatorQuerySet,
    Rhk,
    Skp,
    SkpEvent,
    SkpQuerySet,
    current_penilai_q,
    cycle_day,
    report_day,
    skp_on,
)

# The migrations name this callable by its former private name; keep it resolvable.
_private_storage = private_storage

__all__ = [
    "AnnualRating",
    "Cycle",
    "CycleQuerySet",
    "DistributionRule",
    "DistributionRuleQuerySet",
    "Evidence",
    "ExpectationKhusus",
    "FeedbackMessage",
    "Indicator",
    "IndicatorQuerySet",
    "Keberatan",
    "Notification",
    "NotificationQuerySet",
    "PeriodicReport",
    "PeriodicReportQuerySet",
    "Realisasi",
    "RecordVersion",
    "RecordVersionQuerySet",
    "Reminder",
    "ReportEvent",
    "ReportingPeriod",
    "ReportingPeriodQuerySet",
    "Rhk",
    "Skp",
    "SkpEvent",
    "SkpQuerySet",
    "StatusEvent",
    "UnitEvaluation",
    "capaian_choices",
    "current_penilai_q",
    "cycle_day",
    "evidence_path",
    "is_admin",
    "perspektif_choices",
    "predikat_choices",
    "private_storage",
    "rating_choices",
    "rating_guidance",
    "report_day",
    "skp_on",
    "today",
    "value_choices",
    "value_name",
]
