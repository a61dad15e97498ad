"""Planning forms: the SKP, its RHK, indicators and expectations; cycles, periods and the
pejabat penilai (Admin BKPSDM)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from performance.models import (
    Indicator,
    ReportingPeriod,
    Rhk,
    Skp,
    perspektif_choices,
    value_choices,
)
from portal.models import User

from .common import BootstrapMixin, text_field


class SkpCreateForm(forms.Form):
    pendekatan = forms.ChoiceField(
        label=_("Pendekatan"), choices=Skp.Pendekatan.choices, initial="kuantitatif"
    )


class SkpDetailsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Skp
        fields = ["pendekatan", "dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"]
        widgets = {
            "dukungan_sumber_daya": forms.Textarea(attrs={"rows": 3}),
            "skema_pertanggungjawaban": forms.Textarea(attrs={"rows": 3}),
            "konsekuensi": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "dukungan_sumber_daya": _("Satu butir per baris."),
            "skema_pertanggungjawaban": _("Satu butir per baris."),
            "konsekuensi": _("Satu butir per baris."),
        }


class RhkForm(BootstrapMixin, forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis RHK"), choices=Rhk.Jenis.choices)
    text = text_field(
        _("Rencana hasil kerja"), rows=2, max_length=2000, required=_("Tulis rencana hasil kerja.")
    )
    parent_rhk = forms.ModelChoiceField(
        label=_("RHK atasan yang diintervensi"),
        queryset=Rhk.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("RHK yang dipilih bukan milik atasan Anda.")},
    )
    perspektif = forms.ChoiceField(label=_("Perspektif (JPT)"), required=False)

    def __init__(self, *args, skp: Skp, **kwargs):
        super().__init__(*args, **kwargs)
        self.skp = skp
        if skp.pejabat_penilai_id:
            self.fields["parent_rhk"].queryset = Rhk.objects.filter(
                skp__employee_id=skp.pejabat_penilai_id,
                skp__cycle_id=skp.cycle_id,
                skp__status=Skp.Status.DISETUJUI,
            )
            self.fields["parent_rhk"].required = True
            self.fields["parent_rhk"].error_messages["required"] = _(
                "Pilih RHK atasan (pejabat penilai) yang diintervensi RHK ini."
            )
        else:
            del self.fields["parent_rhk"]
        if skp.employee.jenis_jabatan == "jpt":
            self.fields["perspektif"].choices = [("", "---------"), *perspektif_choices()]
            self.fields["perspektif"].required = True
        else:
            del self.fields["perspektif"]
        self.style()


class IndicatorForm(BootstrapMixin, forms.Form):
    aspek = forms.ChoiceField(label=_("Aspek"), choices=Indicator.Aspek.choices)
    text = text_field(
        _("Indikator kinerja individu"), max_length=500, required=_("Tulis indikatornya.")
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        localize=True,
        error_messages={
            "required": _("Isi target berupa angka."),
            "invalid": _("Target harus berupa angka."),
        },
    )
    unit = text_field(
        _("Satuan"),
        max_length=60,
        required=_("Isi satuan target (misalnya: dokumen, laporan, persen)."),
    )


class ExpectationForm(BootstrapMixin, forms.Form):
    value_code = forms.ChoiceField(label=_("Nilai BerAKHLAK"), choices=value_choices)
    text = text_field(
        _("Ekspektasi khusus pimpinan"),
        rows=2,
        max_length=None,
        required=_("Tulis ekspektasi khusus untuk nilai ini."),
    )


class CycleForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2022, max_value=2100)
    kind = forms.ChoiceField(label=_("Periode pelaporan"), choices=ReportingPeriod.Kind.choices)
    due_days = forms.IntegerField(
        label=_("Batas waktu (hari setelah periode berakhir)"),
        min_value=0,
        max_value=60,
        initial=10,
    )


class PeriodForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["due_date", "is_closed"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class BulkApproveForm(forms.Form):
    """The SKPs ticked on the team page (`skp`, many); the view checks each one's rights."""

    MAX = 100

    skp = forms.Field(
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Pilih minimal satu SKP yang akan disetujui.")},
    )

    def clean_skp(self) -> list[int]:
        ids = []
        for value in self.cleaned_data["skp"]:
            if not (
                isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18
            ):
                raise forms.ValidationError(_("Pilihan SKP tidak dikenal."))
            if int(value) not in ids:
                ids.append(int(value))
        if len(ids) > self.MAX:
            raise forms.ValidationError(
                _("Paling banyak %(n)s SKP sekali setujui.") % {"n": self.MAX}
            )
        return ids


class ReassignPenilaiForm(BootstrapMixin, forms.Form):
    """Admin BKPSDM: re-point a person's open SKPs to the current atasan or a chosen rater."""

    penilai_nip = text_field(
        _("NIP pejabat penilai lain (opsional)"),
        max_length=18,
        help_text=_("Kosongkan untuk mengalihkan ke atasan saat ini di data kepegawaian."),
    )

    def clean_penilai_nip(self):
        raw = "".join(self.cleaned_data["penilai_nip"].split())
        if not raw:
            return None
        found = User.objects.filter(nip=raw).first()
        if found is None:
            raise forms.ValidationError(_("Tidak ada pegawai dengan NIP %(nip)s.") % {"nip": raw})
        return found
