"""Signals the people app sends for other apps to connect to, so portal imports none of them.

`pre_assign(sender=Assignment, person, old, new, day)`
    Sent by `portal.staffing.services.assign` and `end_assignment` inside their transaction,
    before anything is written. A receiver may refuse the change by raising
    `django.core.exceptions.ValidationError` (with an Indonesian message): e.g. performance refuses
    a `day` inside a closed reporting period. Nothing is saved then. `old` is the assignment in
    effect before `day` (None: none; unsaved for a person with no rows yet), `new` the assignment
    about to be saved (unsaved; None when an assignment ends), `day` the first day of the change.

`assignment_changed(sender=Assignment, person, old, new, day)`
    Sent after commit of `assign` and `end_assignment`: performance connects to it for the SKP
    transfer. `new` is the saved assignment (None when `old` was ended, `day` = end + 1); when
    `old.pk == new.pk` the change was a same-day correction of the post (`old` is a copy of the
    row as it was). `day` is the first day in effect.

`pre_assign_many(sender=Assignment, changes, day)` and `assignments_changed(sender=Assignment,
changes, day)`
    The same two moments for many people at once, sent by `portal.staffing.bulk` (the register
    sync) instead of one `pre_assign` / `assignment_changed` per person, so a receiver can read
    what it needs for all of them in a few queries. `changes` is a list of `(person, old, new)`
    as above. A `pre_assign_many` receiver refuses people by returning `{person.pk: [message,
    ...]}` (it raises nothing: the others still go ahead, or the caller refuses the whole batch).
    A receiver of `pre_assign` / `assignment_changed` connects to these as well.
"""

from django.dispatch import Signal

pre_assign = Signal()
assignment_changed = Signal()
pre_assign_many = Signal()
assignments_changed = Signal()
