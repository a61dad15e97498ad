from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _

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
