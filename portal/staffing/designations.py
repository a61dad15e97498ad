"""Designated raters (issue 17): the rater of a person who has no atasan in the portal (an OPD
head), in the portal or outside it.

Imported through `portal.staffing.services` (the write API and its rules).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import authority
from portal.audit import Kind
from portal.models import User

from .checks import (
    ONE_DAY,
    check_admin,
    check_may_act,
    check_not_below,
    check_not_self,
    check_range,
    format_date,
    lock_person,
    require,
    save_admin_record,
)
from .models import DesignatedRater


@transaction.atomic
def designate_rater(
    *,
    actor: User | None,
    person: User,
    rater: User | None = None,
    external_rater: str = "",
    document_ref: str,
    start: dt.date,
    end: dt.date | None = None,
) -> DesignatedRater:
    """Name who rates `person` (who has no atasan in the portal on `start`): a portal user, or
    someone outside it by name (`external_rater`; Admin BKPSDM then records their rating). A
    designation in effect the day before ends on `start - 1`. Refuses: no document reference,
    neither or both raters, the person themselves or someone below them, end before start, a
    person with an atasan on `start`, a designation already recorded after `start`."""
    check_admin(actor)
    check_not_self(actor, person, rater)
    external_rater = external_rater.strip()
    require(document_ref, "document_ref", _("Dasar penunjukan (nomor atau dokumen) wajib diisi."))
    check_range(start, end)
    if rater is None and not external_rater:
        raise ValidationError(
            {"rater": _("Pilih penilai di portal atau tulis nama penilai di luar portal.")}
        )
    if rater is not None and external_rater:
        raise ValidationError(
            {"rater": _("Isi salah satu saja: penilai di portal atau penilai di luar portal.")}
        )
    if rater is not None:
        if rater.pk == person.pk:
            raise ValidationError(
                {"rater": _("Pegawai tidak dapat menjadi penilai dirinya sendiri.")}
            )
        check_not_below(person=person, rater=rater, day=start, field="rater")
        check_may_act(rater, start=start, end=end, field="rater", role=_("penilai yang ditunjuk"))
    lock_person(person)
    current = authority.assignment_on(person, start)
    if current is not None and current.atasan_id:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s memiliki atasan langsung pada %(date)s (%(atasan)s); penilai "
                    "hanya ditunjuk bagi pegawai tanpa atasan di portal."
                )
                % {
                    "name": person.full_name,
                    "date": format_date(start),
                    "atasan": current.atasan.full_name,
                }
            }
        )
    rows = list(DesignatedRater.objects.filter(person=person).select_related("rater"))
    later = [row for row in rows if row.start >= start]
    if later:
        raise ValidationError(
            {
                "start": _("Sudah ada penunjukan penilai mulai %(date)s untuk pegawai ini.")
                % {"date": format_date(later[0].start)}
            }
        )
    previous = next((row for row in rows if row.end is None or row.end >= start), None)
    if previous is not None:
        previous.end = start - ONE_DAY
        previous.save(update_fields=["end"])
    designated = DesignatedRater(
        person=person,
        rater=rater,
        external_rater=external_rater,
        document_ref=document_ref.strip(),
        start=start,
        end=end,
    )
    return save_admin_record(
        designated,
        actor=actor,
        kind=Kind.DESIGNATED_RATER,
        old=previous.rater_label if previous else "",
        new=designated.rater_label,
        note="; ".join(
            [_("Berlaku mulai %(date)s") % {"date": format_date(start)}, designated.document_ref]
        ),
    )


def designation_label(row: DesignatedRater) -> str:
    until = format_date(row.end) if row.end else _("seterusnya")
    return _("%(rater)s menilai %(name)s, %(start)s – %(end)s") % {
        "rater": row.rater_label,
        "name": row.person.full_name,
        "start": format_date(row.start),
        "end": until,
    }
