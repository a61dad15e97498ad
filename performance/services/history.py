"""The one writer of `RecordVersion`: every service that overwrites an annual rating, a capaian
kinerja organisasi, an ekspektasi khusus or the pejabat penilai of an SKP calls `record_version`
inside its own transaction, so the change and its version are kept together or not at all.

The `*_state` helpers give the stored value of each kind: plain JSON that carries its own names
(a person's name and NIP, the RHK texts), so the history reads without further queries and
still says what was there after the row changed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from performance.models import (
    AnnualRating,
    Cycle,
    ExpectationKhusus,
    RecordVersion,
    Skp,
    UnitEvaluation,
)
from portal.models import OrgUnit, User

Kind = RecordVersion.Kind
Via = RecordVersion.Via
DOCUMENT_REF_LENGTH = RecordVersion._meta.get_field("document_ref").max_length


def rating_state(rating: AnnualRating | None) -> dict | None:
    if rating is None:
        return None
    return {
        "hasil_kerja": rating.rating_hasil_kerja,
        "perilaku_kerja": rating.rating_perilaku_kerja,
        "predikat": rating.predikat,
        "note": rating.note,
    }


def capaian_state(evaluation: UnitEvaluation) -> dict | None:
    return {"capaian": evaluation.capaian} if evaluation.capaian else None


def expectation_state(expectation: ExpectationKhusus | None) -> dict | None:
    if expectation is None:
        return None
    return {"value_code": expectation.value_code, "text": expectation.text}


def penilai_state(skp: Skp) -> dict:
    return {
        "id": skp.pejabat_penilai_id,
        "name": skp.pejabat_penilai_name,
        "nip": skp.pejabat_penilai.nip if skp.pejabat_penilai_id else "",
        "atasan": skp.atasan_pejabat_penilai_name,
    }


def skp_content(skp: Skp) -> dict:
    """The SKP as approved: status, every RHK with its indicators, and the lampiran."""
    rhks = (
        skp.rhks.select_related("parent_rhk")
        .prefetch_related("indicators")
        .order_by("-jenis", "order", "pk")
    )
    return {
        "status": skp.status,
        "rhks": [
            {
                "id": rhk.pk,
                "jenis": rhk.jenis,
                "text": rhk.text,
                "perspektif": rhk.perspektif,
                "parent": rhk.parent_rhk.text if rhk.parent_rhk_id else "",
                "indicators": [
                    {
                        "aspek": i.aspek,
                        "text": i.text,
                        "target": format(i.target.normalize(), "f"),
                        "unit": i.unit,
                    }
                    for i in rhk.indicators.all()
                ],
            }
            for rhk in rhks
        ],
        "dukungan_sumber_daya": skp.dukungan_sumber_daya,
        "skema_pertanggungjawaban": skp.skema_pertanggungjawaban,
        "konsekuensi": skp.konsekuensi,
    }


def require_documented(reason: str, document_ref: str) -> tuple[str, str]:
    """A correction states why and on what document; both stripped, or a ValidationError."""
    reason, document_ref = reason.strip(), document_ref.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Tuliskan alasan koreksi.")
    if not document_ref:
        errors["document_ref"] = _(
            "Tuliskan nomor atau rujukan dokumen dasar koreksi (misalnya nomor surat atau SK)."
        )
    elif len(document_ref) > DOCUMENT_REF_LENGTH:
        errors["document_ref"] = _(
            "Rujukan dokumen paling panjang %(n)s karakter; tulis nomornya saja."
        ) % {"n": DOCUMENT_REF_LENGTH}
    if errors:
        raise ValidationError(errors)
    return reason, document_ref


@dataclass(frozen=True)
class ChangedBy:
    """Who changed a record, in which capacity (`via`) and, for a correction, why and on what
    document: what a version keeps besides the values before and after."""

    actor: User
    via: str
    reason: str = ""
    document_ref: str = ""

    @classmethod
    def correction(cls, actor: User, reason: str, document_ref: str) -> ChangedBy:
        """A correction by Admin BKPSDM; its reason and document checked (`require_documented`)."""
        reason, document_ref = require_documented(reason, document_ref)
        return cls(actor, Via.KOREKSI, reason, document_ref)


def record_version(
    kind: str,
    object_id: int,
    cycle: Cycle,
    by: ChangedBy,
    *,
    old: Any,
    new: Any,
    skp: Skp | None = None,
    org_unit: OrgUnit | None = None,
) -> RecordVersion | None:
    """Keep one version of a changed record (None when nothing changed). Call it inside the
    transaction of the change. `old`/`new` are the `*_state` values; a correction (`via`
    "koreksi") must carry a reason and a document reference (a DB check holds it too)."""
    if old == new:
        return None
    reason, document_ref = by.reason, by.document_ref
    if by.via == Via.KOREKSI:
        reason, document_ref = require_documented(reason, document_ref)
    return RecordVersion.objects.create(
        kind=kind,
        object_id=object_id,
        skp=skp,
        employee=skp.employee if skp is not None else None,
        org_unit=org_unit,
        cycle=cycle,
        old=old,
        new=new,
        actor=by.actor,
        via=by.via,
        reason=reason.strip(),
        document_ref=document_ref.strip(),
    )


def record_skp_version(
    kind: str, object_id: int, skp: Skp, by: ChangedBy, *, old: Any, new: Any
) -> RecordVersion | None:
    """`record_version` for a record of one SKP: its cycle, employee and the employee's OPD of
    today (the OPD filter of the audit view reads where the person was when it changed)."""
    unit = skp.employee.org_unit
    opd = unit.perangkat_daerah if unit else None
    return record_version(kind, object_id, skp.cycle, by, old=old, new=new, skp=skp, org_unit=opd)


def record_rating_version(
    rating: AnnualRating, by: ChangedBy, *, skp: Skp, old: dict | None
) -> RecordVersion | None:
    """`record_skp_version` for a change of the annual rating of `skp`: `old` is its
    `rating_state` before, the rating as it now stands is the new one."""
    return record_skp_version(
        Kind.ANNUAL_RATING, rating.pk, skp, by, old=old, new=rating_state(rating)
    )
