"""Who holds which post, on which dates, and who acts for whom (issue 17), one file a job:

- `models`: the effective-dated records (`Assignment`, `ActingAppointment`, `RatingDelegation`,
  `DesignatedRater`), re-exported here; they belong to the app `portal`.
- `services`: the one write API (every caller imports from it): posts (`assign`,
  `end_assignment`), re-exporting the writers below.
- `snapshot`: the User fields that say today's post.
- `acting`: Plt/Plh appointments. `delegations`: rating delegations. `designations`: designated
  raters. `stand_ins`: what ends with a person's last post.
- `batch`: `set_post` (sources without dates) and `reassign_team`. `bulk`: many posts at once
  (the register sync).
- `checks`: the checks and messages the writers share.
- `forms`, `views` (Admin BKPSDM's pages), `team_views` (supervisors' and unit heads' pages).

Reads (who rates whom on a day) are in `portal.authority`.
"""

from .models import (
    ActingAppointment,
    Assignment,
    DatedQuerySet,
    DesignatedRater,
    RatingDelegation,
    jenis_jabatan_choices,
)

__all__ = [
    "ActingAppointment",
    "Assignment",
    "DatedQuerySet",
    "DesignatedRater",
    "RatingDelegation",
    "jenis_jabatan_choices",
]
