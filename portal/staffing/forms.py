"""The forms of the staffing pages (issue 17): input parsing only. The rules (overlaps, cycles,
Plt over a filled post, missing SK numbers...) are `portal.staffing.services`', whose Indonesian
messages land on these forms' fields (`SERVICE_FIELDS`)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.forms import StyledForm, optional_text
from portal.models import OrgUnit, User
from portal.validators import normalize_nip

from .models import ActingAppointment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The service's field name -> the form's (the service speaks of people, the forms of NIPs).
SERVICE_FIELDS = {
    "person": "person_nip",
    "atasan": "atasan_nip",
    "rater": "rater_nip",
    "successor": "successor_nip",
}


class NipField(forms.CharField):
    """A NIP typed by a person (spaces allowed) -> that portal user, deactivated or not: the
    staffing service says why a person who cannot act is refused (`check_may_act`), and a
    departing supervisor who has left is who a team is moved away from."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        nip = normalize_nip(value)
        user = User.objects.filter(nip=nip).first()
        if user is None:
            raise forms.ValidationError(
                _("NIP %(nip)s tidak ditemukan di portal."), params={"nip": nip}
            )
        return user


def unit_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=OrgUnit.objects.order_by("name"), label=_("Unit kerja"), **kwargs
    )


class PersonSearchForm(StyledForm):
    q = optional_text(_("Cari NIP atau nama"), 100)


class TransferForm(StyledForm):
    """A transfer or promotion (mutasi/promosi) on an SK."""

    org_unit = unit_field()
    jabatan = forms.CharField(label=_("Jabatan"), max_length=200)
    jenis_jabatan = forms.ChoiceField(label=_("Jenis jabatan"), choices=User.JenisJabatan)
    atasan_nip = NipField(
        label=_("NIP atasan langsung"),
        required=False,
        help_text=_("Kosongkan bila tidak ada atasan di portal (kepala perangkat daerah)."),
    )
    is_head = forms.BooleanField(label=_("Memegang jabatan kepala unit ini"), required=False)
    start = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    sk_number = optional_text(_("Nomor SK"), 120)
    note = optional_text(_("Catatan"), 500)


class EndAssignmentForm(StyledForm):
    end = forms.DateField(label=_("Hari terakhir"), widget=DATE)
    reason = optional_text(
        _("Alasan"), 500, _("Misalnya: pensiun, pindah ke luar Pemerintah Kota Bandung.")
    )


class ActingForm(StyledForm):
    person_nip = NipField(label=_("NIP pejabat Plt/Plh"))
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=ActingAppointment.Kind, widget=forms.RadioSelect
    )
    org_unit = unit_field(help_text=_("Unit yang jabatan kepalanya dijalankan."))
    start = forms.DateField(label=_("Mulai"), widget=DATE)
    end = forms.DateField(label=_("Sampai"), widget=DATE)
    sk_number = optional_text(_("Nomor SK"), 120)


class EndActingForm(StyledForm):
    end = forms.DateField(label=_("Hari terakhir"), widget=DATE)
    reason = optional_text(_("Alasan"), 500)


class DesignateForm(StyledForm):
    rater_nip = NipField(
        label=_("NIP penilai di portal"),
        required=False,
        help_text=_("Misalnya Sekretaris Daerah."),
    )
    external_rater = optional_text(
        _("atau nama penilai di luar portal"),
        200,
        _("Misalnya Wali Kota Bandung; penilaiannya dicatat oleh Admin BKPSDM."),
    )
    document_ref = optional_text(_("Dasar penunjukan (nomor atau dokumen)"), 200)
    start = forms.DateField(label=_("Berlaku mulai"), widget=DATE)


class DelegationForm(StyledForm):
    start = forms.DateField(label=_("Mulai"), widget=DATE)
    end = forms.DateField(label=_("Sampai"), widget=DATE)
    reason = optional_text(_("Alasan"), 500, _("Misalnya: cuti tahunan, dinas luar, diklat."))


class TeamForm(StyledForm):
    """Reassigning a departing supervisor's team: the first step (what), then the confirmation
    (the same fields hidden, the people listed, `confirm`)."""

    departing_nip = NipField(label=_("NIP atasan yang pindah"))
    successor_nip = NipField(label=_("NIP atasan pengganti"))
    start = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    sk_number = optional_text(_("Nomor SK"), 120)
    note = optional_text(_("Catatan"), 500)
    people = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_people(self) -> list[int] | None:
        raw = self.cleaned_data.get("people") or ""
        parts = [part for part in raw.split(",") if part]
        # Digits only, and within 64 bits (beyond that SQLite overflows on `pk__in`).
        if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
            # The field is hidden: the page shows the form's own errors.
            self.add_error(None, _("Daftar pegawai tidak sah."))
            return None
        return [int(part) for part in parts] if raw else None


def apply_service_errors(form, exc: ValidationError) -> None:
    """The service's messages onto the form's fields (a service field the form lacks, or a
    message without a field, goes above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = SERVICE_FIELDS.get(name, name)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def service_arguments(data: dict) -> dict:
    """A staffing form's cleaned data as the keyword arguments of its service (the fields are
    named after them, but for the NIPs of `SERVICE_FIELDS`)."""
    names = {field: name for name, field in SERVICE_FIELDS.items()}
    return {names.get(field, field): value for field, value in data.items()}


def page_status(request: HttpRequest) -> HTTPStatus:
    """A page rendered for a POST shows a refused form: 400."""
    return HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK


def submit_to_service(form, call: Callable[[dict], Any]) -> tuple[bool, Any]:
    """(done, what the service returned): a valid form through the service; a refusal onto it."""
    if not form.is_valid():
        return False, None
    try:
        return True, call(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False, None
