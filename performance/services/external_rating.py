"""Annual ratings given by a designated rater outside the portal (the Wali Kota, say), recorded
by Admin BKPSDM with the document they are in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from performance import rights
from performance.models import AnnualRating, Skp
from portal.models import User

from .evaluation import rate_annual


@transaction.atomic
def rate_annual_on_behalf(
    *,
    actor: User,
    skp: Skp,
    hasil_kerja: str,
    perilaku_kerja: str,
    document_ref: str,
    note: str = "",
) -> AnnualRating:
    """Admin BKPSDM records the annual rating given by the employee's designated rater outside
    the portal (the Wali Kota, say), naming that rater and the document the rating is in."""
    if rights.capacity(actor, skp) != rights.BKPSDM:
        raise PermissionDenied(
            _("Hanya Admin BKPSDM yang mencatat penilaian dari penilai di luar portal.")
        )
    if not document_ref.strip():
        raise ValidationError(
            {"document_ref": _("Isi nomor atau nama dokumen penilaian dari penilai tersebut.")}
        )
    designated = rights.external_rater(skp)
    recorded = _("Dicatat Admin BKPSDM atas nama %(rater)s; dokumen: %(document)s.") % {
        "rater": designated.external_rater,
        "document": document_ref.strip(),
    }
    return rate_annual(
        actor=actor,
        skp=skp,
        hasil_kerja=hasil_kerja,
        perilaku_kerja=perilaku_kerja,
        note=rights.with_note(recorded, note.strip()),
    )
