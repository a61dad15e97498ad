"""Every form of performance management: input parsed into typed values for the services."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import OrgUnit, User

from .models import (
    Cycle,
    Indicator,
    RecordVersion,
    ReportingPeriod,
    Rhk,
    Skp,
    capaian_choices,
    perspektif_choices,
    rating_choices,
    value_choices,
)
from .services.evidence import NewEvidence
from .services.reports import RealisasiValue, check_realisasi


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


def parse_decimal(raw: str) -> Decimal:
    """'1.234,5' / '1234.5' / '12,5' -> Decimal, whatever the active language (a comma is the
    decimal sign; with one, dots group thousands). ValueError when it is not a number."""
    text = raw.strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def parse_realisasi(raw: str | None) -> RealisasiValue:
    """What was typed for an indicator: a number when it reads as one, else the text, None
    when empty. Whether the text is allowed is a rule (`services.check_realisasi`)."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        return text


class RealisasiNumberField(forms.DecimalField):
    """The realisasi of one indicator of a kuantitatif SKP: a Decimal (None when left empty),
    typed as Indonesians write numbers ("12,5", "1.234,5") or with a decimal point, and shown
    in the active language. A text is refused with the indicator's name and unit."""

    def __init__(self, *, indicator: Indicator, **kwargs):
        self.indicator = indicator
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: str | None) -> RealisasiValue:
        return parse_realisasi(value)

    def validate(self, value: RealisasiValue) -> None:
        check_realisasi(self.indicator, value, kuantitatif=True)  # before: it may be a text
        super().validate(value)


class RealisasiField(forms.CharField):
    """The realisasi of one indicator of a kualitatif SKP: a Decimal when it reads as a number
    (as in `RealisasiNumberField`), else the description; None when left empty."""

    def __init__(self, *, indicator: Indicator, **kwargs):
        self.indicator = indicator
        super().__init__(max_length=2000, **kwargs)

    def clean(self, value: str | None) -> RealisasiValue:
        parsed = parse_realisasi(super().clean(value))  # stripped, at most 2000 characters
        check_realisasi(self.indicator, parsed, kuantitatif=False)
        return parsed


class ReportForm(BootstrapMixin, forms.Form):
    """Narrative plus one typed field per indicator (`realisasi_<pk>`): `realisasi()` gives the
    service what was typed, parsed."""

    narrative = forms.CharField(
        label=_("Narasi capaian periode ini"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )

    def __init__(
        self, *args, indicators: Iterable[Indicator], kuantitatif: bool, realisasi: dict, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        field = RealisasiNumberField if kuantitatif else RealisasiField
        for indicator in self.indicators:
            current = realisasi.get(indicator.pk)
            self.fields[f"realisasi_{indicator.pk}"] = field(
                indicator=indicator,
                label=_("Realisasi: %(text)s") % {"text": indicator.text},
                required=False,
                initial=current.display if current else "",
            )
        self.style()

    def realisasi(self) -> dict[Indicator, RealisasiValue]:
        """Every indicator of the form with its parsed realisasi (after `is_valid()`)."""
        return {i: self.cleaned_data[f"realisasi_{i.pk}"] for i in self.indicators}


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


class FeedbackForm(BootstrapMixin, forms.Form):
    """A message in one thread of a report. `thread` is the key the page gives the thread:
    `rhk-<pk>` (an RHK of `skp`) or `nilai-<code>` (a BerAKHLAK value); a valid form's
    `cleaned_data` has it parsed as `rhk` (an Rhk or None) and `value_code` ("" for an RHK).
    A key of neither shape parses to neither: the service refuses it."""

    thread = forms.CharField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Pesan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": _("Tulis pesan umpan balik.")},
    )

    def __init__(self, *args, skp: Skp | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.skp = skp

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        key = data["thread"]
        data["rhk"], data["value_code"] = None, ""
        number = key.removeprefix("rhk-")
        if key.startswith("rhk-") and number.isascii() and number.isdigit():
            data["rhk"] = Rhk.objects.filter(pk=int(number), skp=self.skp).first()
            if data["rhk"] is None:
                self.add_error(None, _("RHK ini bukan bagian dari SKP laporan ini."))
        elif key.startswith("nilai-"):
            data["value_code"] = key.removeprefix("nilai-")
        return data


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


class ReassignPenilaiForm(BootstrapMixin, forms.Form):
    """Admin BKPSDM: re-point a person's open SKPs to the current atasan or a chosen rater."""

    penilai_nip = forms.CharField(
        label=_("NIP pejabat penilai lain (opsional)"),
        max_length=18,
        required=False,
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
