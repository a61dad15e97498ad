"""Corrections by Admin BKPSDM and the audit view's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from performance.models import (
    Cycle,
    RecordVersion,
)
from portal.models import OrgUnit

from .common import BootstrapMixin, text_field
from .planning import ReassignPenilaiForm
from .reports import RatingForm


class CorrectionForm(BootstrapMixin, forms.Form):
    """What every correction states: why, and on which document (letter, SK, berita acara)."""

    reason = text_field(_("Alasan koreksi"), rows=2, required=_("Tuliskan alasan koreksi."))
    document_ref = text_field(
        _("Dokumen dasar koreksi"),
        max_length=200,
        required=_(
            "Tuliskan nomor atau rujukan dokumen dasar koreksi (misalnya nomor surat atau SK)."
        ),
        help_text=_("Nomor surat, SK atau berita acara yang menjadi dasar koreksi."),
    )


class RatingCorrectionForm(RatingForm, CorrectionForm):
    field_order = ["hasil_kerja", "perilaku_kerja", "reason", "document_ref"]


class PenilaiCorrectionForm(ReassignPenilaiForm, CorrectionForm):
    field_order = ["penilai_nip", "reason", "document_ref"]
    penilai_nip = text_field(
        _("NIP pejabat penilai yang benar"),
        max_length=18,
        required=_("Tulis NIP pejabat penilai yang benar."),
    )


def _year_choices() -> list[tuple]:
    return [("", _("Semua tahun")), *((c.year, c.year) for c in Cycle.objects.order_by("-year"))]


class HistoryFilterForm(BootstrapMixin, forms.Form):
    """The audit view's filters (GET): every field may stay empty."""

    q = forms.CharField(label=_("Pegawai (NIP atau nama)"), required=False, max_length=100)
    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=OrgUnit.objects.perangkat_daerah().order_by("name"),
        required=False,
        empty_label=_("Semua perangkat daerah"),
    )
    tahun = forms.TypedChoiceField(
        label=_("Tahun"), choices=_year_choices, coerce=int, required=False, empty_value=None
    )
    jenis = forms.ChoiceField(
        label=_("Jenis perubahan"),
        choices=[("", _("Semua jenis")), *RecordVersion.Kind.choices],
        required=False,
    )
