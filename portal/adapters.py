from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the city's staff register (import_employees): no open sign-up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("NIP atau kata sandi yang Anda masukkan tidak benar."),
        "email_password_mismatch": _("E-mail atau kata sandi yang Anda masukkan tidak benar."),
        "account_inactive": _(
            "Akun ini tidak aktif. Hubungi admin BKPSDM di perangkat daerah Anda."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def user_display(user) -> str:
    """How allauth names a user in messages ("Berhasil masuk sebagai ...")."""
    return getattr(user, "full_name", "") or str(user)
