from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .adapters import account_for_login
from .people import email_in_use
from .validators import normalize_nip


class BootstrapMixin:
    """Give every widget Bootstrap's class and mark invalid fields for assistive tech (the
    staffing pages' forms and performance's)."""

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


class StyledForm(BootstrapMixin, forms.Form):
    """A plain form with Bootstrap's styling."""


def optional_text(label: str, max_length: int, help_text: str = "") -> forms.CharField:
    """A free-text field that may stay empty (a reason, an SK number, a note)."""
    return forms.CharField(label=label, max_length=max_length, required=False, help_text=help_text)


class LoginForm(AllauthLoginForm):
    """allauth's login form, asking for "NIP atau e-mail" and accepting NIPs with spaces.

    With LOCAL_PASSWORD_LOGIN=0 it is refused for everybody but superusers (the break-glass
    path for when the identity provider is down), whatever the page shows.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = getattr(self, "request", None)
        # what the login page shows: the password form, or only the identity provider's button
        self.password_login = settings.PORTAL_LOCAL_PASSWORD_LOGIN or (
            request is not None and "darurat" in request.GET
        )
        login = self.fields["login"]
        login.label = _("NIP atau e-mail")
        login.widget.attrs.update(
            {"placeholder": _("contoh: 198609262015051001"), "autocomplete": "username"}
        )
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Ingat saya di perangkat ini")

    def clean_login(self) -> str:
        value = super().clean_login()
        return value if "@" in value else normalize_nip(value)

    def clean(self):
        if not settings.PORTAL_LOCAL_PASSWORD_LOGIN and "login" in self.cleaned_data:
            account = account_for_login(self.cleaned_data["login"])
            users = get_user_model()._default_manager
            if account is None or not users.filter(pk=account, is_superuser=True).exists():
                raise forms.ValidationError(
                    _(
                        "Masuk dengan kata sandi tidak lagi dipakai di portal ini. Gunakan "
                        "tombol penyedia identitas kota di halaman masuk."
                    ),
                    code="password_login_disabled",
                )
        return super().clean()


class AddEmailForm(AllauthAddEmailForm):
    """allauth's "add an address" form, refusing an address another person already holds.

    allauth lets it through silently (its enumeration protection), after which a password reset
    for the owner also mailed a link for this account, and making it primary was a 500.
    """

    def clean_email(self) -> str:
        value = super().clean_email()
        if email_in_use(value, exclude_user_id=self.user.pk):
            raise forms.ValidationError(
                _(
                    "Alamat e-mail ini sudah dipakai pegawai lain. Tambahkan alamat milik Anda "
                    "sendiri; bila alamat ini memang milik Anda, hubungi Admin BKPSDM."
                ),
                code="email_taken",
            )
        return value


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas register pegawai"),
        help_text=_("Ekspor .csv atau .xlsx dengan kolom seperti contoh (maks. 10 MB)."),
    )
    end_missing = forms.BooleanField(
        label=_("Akhiri penugasan pegawai yang tidak ada di berkas"),
        required=False,
        help_text=_(
            "Untuk register lengkap seluruh kota: pegawai yang tidak ada di berkas (pensiun, "
            "pindah ke luar) diakhiri penempatannya. Anda melihat daftarnya sebelum disimpan."
        ),
    )

    partial = forms.BooleanField(
        label=_("Impor sebagian: simpan baris yang benar, lewati baris yang salah"),
        required=False,
        help_text=_(
            "Tanpa centang, satu baris salah membatalkan seluruh berkas. Dengan centang, baris "
            "yang benar disimpan dan baris yang salah dilaporkan untuk diperbaiki dan diunggah "
            "lagi. Anda melihat kedua daftar sebelum disimpan."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Format berkas harus .csv atau .xlsx."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas lebih dari 10 MB."))
        return upload
