from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import OrgUnit

from .models import (
    Cycle,
    Indicator,
    RecordVersion,
    ReportingPeriod,
    Rhk,
    Skp,
    perspektif_choices,
    rating_choices,
    rating_guidance,
    value_choices,
)
from .services.evidence import NewEvidence


class BootstrapMixin:
    """Give every widget Bootstrap's class and mark invalid fields for assistive tech."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"


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
    text = forms.CharField(
        label=_("Rencana hasil kerja"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Tulis rencana hasil kerja.")},
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
    text = forms.CharField(
        label=_("Indikator kinerja individu"),
        max_length=500,
        error_messages={"required": _("Tulis indikatornya.")},
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
    unit = forms.CharField(
        label=_("Satuan"),
        max_length=60,
        error_messages={"required": _("Isi satuan target (misalnya: dokumen, laporan, persen).")},
    )


class ExpectationForm(BootstrapMixin, forms.Form):
    value_code = forms.ChoiceField(label=_("Nilai BerAKHLAK"), choices=value_choices)
    text = forms.CharField(
        label=_("Ekspektasi khusus pimpinan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis ekspektasi khusus untuk nilai ini.")},
    )


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk perbaikan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis catatan: apa yang perlu diperbaiki.")},
    )


class ReportForm(BootstrapMixin, forms.Form):
    """Narrative plus one text input per indicator (`realisasi_<pk>`): the service parses them."""

    narrative = forms.CharField(
        label=_("Narasi capaian periode ini"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )

    def __init__(self, *args, indicators, realisasi: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            current = realisasi.get(indicator.pk)
            self.fields[f"realisasi_{indicator.pk}"] = forms.CharField(
                label=_("Realisasi: %(text)s") % {"text": indicator.text},
                required=False,
                max_length=2000,
                initial=current.display if current else "",
            )
        self.style()

    def values(self) -> dict[int, str]:
        return {
            int(name.removeprefix("realisasi_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("realisasi_")
        }


class EvidenceForm(BootstrapMixin, forms.Form):
    """A bukti dukung: a file, a link, or both (one description). `need`: "any" (a file or a
    link), "url" (a link), "none" (optional: sent along with the draft by its buttons)."""

    file = forms.FileField(
        label=_("Berkas bukti dukung"),
        required=False,
        help_text=_("PDF, gambar, atau dokumen perkantoran; maksimal 10 MB."),
        error_messages={"empty": _("Berkas yang dipilih kosong.")},
    )
    url = forms.URLField(
        label=_("Atau tautan bukti dukung"),
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={"invalid": _("Tautan tidak valid.")},
    )
    description = forms.CharField(label=_("Keterangan"), max_length=255, required=False)

    def __init__(self, *args, need: str = "any", **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.need == "url" and not data.get("url"):
            self.add_error("url", _("Isi tautannya."))
        elif self.need == "any" and not data.get("file") and not data.get("url"):
            self.add_error(None, _("Pilih berkas atau isi tautan bukti dukung."))
        return data

    def new_evidence(self):
        return NewEvidence(
            upload=self.cleaned_data.get("file") or None,
            url=self.cleaned_data.get("url") or "",
            description=self.cleaned_data.get("description") or "",
        )


class RatingForm(BootstrapMixin, forms.Form):
    """The two ratings; `guidance` is the domain data's guidance shown beside the form."""

    hasil_kerja = forms.ChoiceField(
        label=_("Rating hasil kerja"),
        choices=rating_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih rating hasil kerja.")},
    )
    perilaku_kerja = forms.ChoiceField(
        label=_("Rating perilaku kerja"),
        choices=rating_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih rating perilaku kerja.")},
    )

    @property
    def guidance(self) -> dict:
        return rating_guidance()


class FeedbackForm(BootstrapMixin, forms.Form):
    thread = forms.CharField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Pesan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": _("Tulis pesan umpan balik.")},
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


# --- annual evaluation ---------------------------------------------------------------------


def _capaian_choices():
    from .rules import capaian_choices

    return capaian_choices()


class CapaianForm(BootstrapMixin, forms.Form):
    """`capacity` "bkpsdm" (Admin BKPSDM recording a leader outside the portal) asks who decided
    and the document; "pimpinan" (the leader above the head) only an optional document."""

    capaian = forms.ChoiceField(
        label=_("Capaian kinerja organisasi"),
        choices=_capaian_choices,
        error_messages={
            "required": _("Pilih capaian kinerja organisasi."),
            "invalid_choice": _("Capaian kinerja organisasi itu tidak ada; pilih dari daftar."),
        },
    )
    penetap = forms.CharField(
        label=_("Pimpinan yang menetapkan (nama dan jabatan)"),
        max_length=200,
        required=False,
        help_text=_("Misalnya: Sekretaris Daerah Kota Bandung."),
    )
    document_ref = forms.CharField(
        label=_("Nomor dokumen penetapan"),
        max_length=200,
        required=False,
    )

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

    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

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
    hasil_kerja = forms.ChoiceField(
        label=_("Rating hasil kerja baru"),
        choices=[("", "—"), *rating_choices()],
        required=False,
    )
    perilaku_kerja = forms.ChoiceField(
        label=_("Rating perilaku kerja baru"),
        choices=[("", "—"), *rating_choices()],
        required=False,
    )


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

    penilai_nip = forms.CharField(
        label=_("NIP pejabat penilai lain (opsional)"),
        max_length=18,
        required=False,
        help_text=_("Kosongkan untuk mengalihkan ke atasan saat ini di data kepegawaian."),
    )

    def clean_penilai_nip(self):
        from portal.models import User

        raw = "".join(self.cleaned_data["penilai_nip"].split())
        if not raw:
            return None
        found = User.objects.filter(nip=raw).first()
        if found is None:
            raise forms.ValidationError(_("Tidak ada pegawai dengan NIP %(nip)s.") % {"nip": raw})
        return found


# --- corrections by Admin BKPSDM -----------------------------------------------------------


class CorrectionForm(BootstrapMixin, forms.Form):
    """What every correction states: why, and on which document (letter, SK, berita acara)."""

    reason = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan koreksi.")},
    )
    document_ref = forms.CharField(
        label=_("Dokumen dasar koreksi"),
        max_length=200,
        help_text=_("Nomor surat, SK atau berita acara yang menjadi dasar koreksi."),
        error_messages={
            "required": _(
                "Tuliskan nomor atau rujukan dokumen dasar koreksi (misalnya nomor surat atau SK)."
            )
        },
    )


class RatingCorrectionForm(RatingForm, CorrectionForm):
    field_order = ["hasil_kerja", "perilaku_kerja", "reason", "document_ref"]


class PenilaiCorrectionForm(ReassignPenilaiForm, CorrectionForm):
    field_order = ["penilai_nip", "reason", "document_ref"]
    penilai_nip = forms.CharField(
        label=_("NIP pejabat penilai yang benar"),
        max_length=18,
        error_messages={"required": _("Tulis NIP pejabat penilai yang benar.")},
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
