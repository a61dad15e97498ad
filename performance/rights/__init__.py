"""Who may act on an SKP or a periodic report, and on which day: the one rule file (issue 17).

To act is what a pejabat penilai does: approve or return an SKP, write its ekspektasi khusus,
rate or return a report, give feedback, give the annual rating. Every rule is read on a day
(today by default, Asia/Jakarta) through `portal.authority`, and comes in two forms that agree: a
check on one object (`capacity`, `can_act`, `can_view_skp`, `annual_refusal`) and a `Q` for lists
(`rater_q`, `visible_q`) whose number of queries does not grow with people, SKPs or assignments.

The capacities (`capacity`), in this order:
- "atasan": the pejabat penilai recorded on the SKP, while that record stands (`penilai_is_current`:
  the atasan of the SKP's post is still the one recorded with it). The right outlives the post:
  after a transfer on day D the former pejabat penilai finishes the closed SKP (the reports of
  the periods before D, `Skp.takes_period`) and has none on the new post's SKP.
- "plt", "plh", "delegasi", "penilai_ditunjuk": on an SKP in force on the day (`Skp.in_force_on`;
  an SKP of a past year whose post goes on counts too, for its annual rating), whoever
  `portal.authority.rater_ids_for` names on that day: the Plt/Plh of the head post above the
  employee, the delegate of a pejabat penilai on leave, the rater designated for a person without
  an atasan. These rights begin and end with their dates. On an SKP that has closed, only the
  rater designated on its last day ("penilai_ditunjuk") acts beside the recorded pejabat penilai.
- "bkpsdm": Admin BKPSDM, on the SKP of a person without a pejabat penilai in the portal whose
  designated rater is outside it (the Wali Kota, say), recording on that rater's behalf.
Never the employee on their own SKP. Reading (`can_view_skp`): the employee, whoever may act,
the atasan pejabat penilai recorded on it, Admin BKPSDM, and whoever may act on a later SKP of the
same employee and year (the new pejabat penilai reads the earlier SKPs of the year, read-only).

The files: `checks` (the rule on one SKP), `queries` (the same rule as a `Q` for lists, and the
team a person rates), `actors` (who acts on many SKPs at once, for the pages), `capacities` (the
capacity names and labels). Callers import from this package, which re-exports them. The package
imports no performance model (the models call it): an SKP's siblings are read through the SKP's
own class.
"""

from .actors import Acting, Actor, acting_on, actors_of
from .capacities import (
    ATASAN,
    BKPSDM,
    CAPACITY_LABELS,
    DELEGASI,
    NOTHING,
    PENILAI_DITUNJUK,
    PLH,
    PLT,
)
from .checks import (
    act_note,
    annual_refusal,
    can_act,
    can_view_skp,
    capacity,
    external_rater,
    is_current,
    later_skp,
    penilai_is_current,
    reference_day,
    today,
    with_note,
)
from .queries import Standing, rater_q, standing, team, team_members, visible_q

__all__ = [
    "ATASAN",
    "BKPSDM",
    "CAPACITY_LABELS",
    "DELEGASI",
    "NOTHING",
    "PENILAI_DITUNJUK",
    "PLH",
    "PLT",
    "Acting",
    "Actor",
    "Standing",
    "act_note",
    "acting_on",
    "actors_of",
    "annual_refusal",
    "can_act",
    "can_view_skp",
    "capacity",
    "external_rater",
    "is_current",
    "later_skp",
    "penilai_is_current",
    "rater_q",
    "reference_day",
    "standing",
    "team",
    "team_members",
    "today",
    "visible_q",
    "with_note",
]
