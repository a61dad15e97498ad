"""The capacities in which someone acts on an SKP (`performance.rights.checks.capacity`) and
their labels."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from portal import authority
from portal.staffing import ActingAppointment

ATASAN = authority.ATASAN
PLT, PLH = ActingAppointment.Kind.PLT, ActingAppointment.Kind.PLH
DELEGASI = authority.DELEGASI
PENILAI_DITUNJUK = authority.PENILAI_DITUNJUK
BKPSDM = "bkpsdm"
NOTHING = Q(pk__in=[])

CAPACITY_LABELS = {
    PLT: gettext_lazy("Plt"),
    PLH: gettext_lazy("Plh"),
    DELEGASI: gettext_lazy("delegasi"),
    PENILAI_DITUNJUK: gettext_lazy("penilai yang ditunjuk"),
    BKPSDM: gettext_lazy("atas nama penilai di luar portal"),
}
