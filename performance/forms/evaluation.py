"""Annual evaluation forms: capaian organisasi, the annual rating, finalisation, keberatan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from performance.models import (
    capaian_choices,
    rating_choices,
)

from .common import BootstrapMixin
from .reports import RatingForm


class CapaianForm(BootstrapMixin, forms.Form):
    capaian = forms.ChoiceField(
        label=_("Capaian kinerja organisasi"),
        choices=capaian_choices,
        error_messages={
            "required": _("Pilih capaian kinerja organisasi."),
            "invalid_choice": _("Capaian kinerja organisasi itu tidak ada; pilih dari daftar."),
        },
    )


class AnnualRatingForm(RatingForm):
    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FinaliseForm(BootstrapMixin, forms.Form):
    justification = forms.CharField(
        label=_("Alasan menetapkan meski menyimpang dari pola kurva"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class KeberatanForm(BootstrapMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Alasan keberatan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tuliskan alasan keberatan Anda.")},
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
    note = forms.CharField(
        label=_("Alasan keputusan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan alasan keputusan.")},
    )
    hasil_kerja = _new_rating(_("Rating hasil kerja baru"))
    perilaku_kerja = _new_rating(_("Rating perilaku kerja baru"))
