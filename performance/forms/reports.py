"""The report page's forms: realisasi parsed into typed, localised values, bukti dukung, the
rating, the feedback thread key."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from performance.models import (
    Indicator,
    Rhk,
    Skp,
    rating_choices,
    rating_guidance,
)
from performance.services.evidence import NewEvidence
from performance.services.reports import RealisasiValue, check_realisasi

from .common import BootstrapMixin, text_field


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
        check_realisasi(self.indicator, value, kuantitatif=True)  # first: a text is refused here
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

    narrative = text_field(_("Narasi capaian periode ini"), rows=4, max_length=10000)

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


def _rating(label: str, required: str) -> forms.ChoiceField:
    """One of the two ratings, picked from radio buttons; `required` is the message when none is."""
    return forms.ChoiceField(
        label=label,
        choices=rating_choices,
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


class RatingForm(BootstrapMixin, forms.Form):
    """The two ratings; `guidance` is the domain data's guidance shown beside the form."""

    hasil_kerja = _rating(_("Rating hasil kerja"), _("Pilih rating hasil kerja."))
    perilaku_kerja = _rating(_("Rating perilaku kerja"), _("Pilih rating perilaku kerja."))

    @property
    def guidance(self) -> dict:
        return rating_guidance()


class FeedbackForm(BootstrapMixin, forms.Form):
    """A message in one thread of a report. `thread` is the key the page gives the thread:
    `rhk-<pk>` (an RHK of `skp`) or `nilai-<code>` (a BerAKHLAK value); a valid form's
    `cleaned_data` has it parsed as `rhk` (an Rhk or None) and `value_code` ("" for an RHK).
    A key of neither shape parses to neither: the service refuses it."""

    thread = forms.CharField(widget=forms.HiddenInput)
    body = text_field(_("Pesan"), rows=2, required=_("Tulis pesan umpan balik."))

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
