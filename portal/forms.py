from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .people import email_in_use
from .validators import normalize_nip


class LoginForm(AllauthLoginForm):
    """allauth's login form, asking for "NIP atau e-mail" and accepting NIPs with spaces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
