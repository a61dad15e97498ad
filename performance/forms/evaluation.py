"""Annual evaluation forms: capaian organisasi, the annual rating, finalisation, keberatan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from performance.models import (
    capaian_choices,
    rating_choices,
)

from .common import BootstrapMixin, text_field
from .reports import RatingForm


class CapaianForm(BootstrapMixin, forms.Form):
    """`capacity` "bkpsdm" (Admin BKPSDM recording a leader outside the portal) asks who decided
    and the document; "pimpinan" (the leader above the head) only an optional document."""

    capaian = forms.ChoiceField(
        label=_("Capaian kinerja organisasi"),
        choices=capaian_choices,
        error_messages={
            "required": _("Pilih capaian kinerja organisasi."),
            "invalid_choice": _("Capaian kinerja organisasi itu tidak ada; pilih dari daftar."),
        },
    )
    penetap = text_field(
        _("Pimpinan yang menetapkan (nama dan jabatan)"),
        max_length=200,
        help_text=_("Misalnya: Sekretaris Daerah Kota Bandung."),
    )
    document_ref = text_field(_("Nomor dokumen penetapan"), max_length=200)

    def __init__(self, *args, capacity: str = "bkpsdm", **kwargs):
        super().__init__(*args, **kwargs)
        if capacity == "bkpsdm":
            self.fields["penetap"].required = True
            self.fields["penetap"].error_messages["required"] = _(
                "Tuliskan nama dan jabatan pimpinan yang menetapkan capaian ini."
            )
            self.fields["document_ref"].required = True
            self.fields["document_ref"].error_messages["required"] = _(
                "Isi nomor dokumen penetapan capaian dari pimpinan di luar portal."
            )
        else:
            del self.fields["penetap"]
            self.fields["document_ref"].label = _("Nomor dokumen penetapan (opsional)")
        self.style()


class AnnualRatingForm(RatingForm):
    """`head_rule` (services.evaluation.HeadRule) for the head of an OPD: the rating of hasil
    kerja follows the OPD's capaian, shown read-only with the reason."""

    note = text_field(_("Catatan (opsional)"), rows=2)

    def __init__(self, *args, head_rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        if head_rule is not None and head_rule.capaian:
            field = self.fields["hasil_kerja"]
            field.disabled = True
            field.required = False
            field.initial = self.initial["hasil_kerja"] = head_rule.rating
            field.help_text = _("Mengikuti capaian kinerja organisasi: %(capaian)s.") % {
                "capaian": head_rule.capaian_label
            }


class AnnualOnBehalfForm(AnnualRatingForm):
    """Admin BKPSDM records the annual rating of a rater outside the portal: with the document."""

    document_ref = text_field(
        _("Dokumen penilaian dari penilai di luar portal"),
        max_length=200,
        required=_("Isi nomor atau nama dokumen penilaian dari penilai tersebut."),
        help_text=_("Nomor atau nama dokumen yang memuat penilaian ini."),
    )


class FinaliseForm(BootstrapMixin, forms.Form):
    justification = text_field(_("Alasan menetapkan meski menyimpang dari pola kurva"), rows=3)


class KeberatanForm(BootstrapMixin, forms.Form):
    reasons = text_field(
        _("Alasan keberatan"), rows=4, required=_("Tuliskan alasan keberatan Anda.")
    )


def _new_rating(label: str) -> forms.ChoiceField:
    """A rating chosen only when the decision changes the rating."""
    return forms.ChoiceField(label=label, choices=[("", "—"), *rating_choices()], required=False)


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            ("ditolak", _("Pertahankan penilaian")),
            ("diubah", _("Ubah penilaian")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih keputusan: pertahankan atau ubah penilaian.")},
    )
    note = text_field(_("Alasan keputusan"), rows=3, required=_("Tuliskan alasan keputusan."))
    hasil_kerja = _new_rating(_("Rating hasil kerja baru"))
    perilaku_kerja = _new_rating(_("Rating perilaku kerja baru"))
