from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
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

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """One failed-login counter per account, whether the NIP or an e-mail was typed.

        allauth keys its per-account limit (`login_failed`: "…/key") on the text typed, so a
        NIP and the e-mail of one person were two counters (5 + 5 guesses). allauth also calls
        this when a password reset clears the counter, so both paths agree. (A private hook of
        allauth 65: tests/trust/test_attacks_auth.py pins the behaviour.)
        """
        typed = (credentials.get("email") or credentials.get("username") or "").strip()
        account = account_for_login(typed)
        return f"account:{account}" if account else f"login:{typed.lower()}"


def user_display(user) -> str:
    """How allauth names a user in messages ("Berhasil masuk sebagai ...")."""
    return getattr(user, "full_name", "") or str(user)


def account_for_login(typed: str) -> int | None:
    """The id of the account a login text names: an e-mail (the user's or an allauth address)
    or a NIP (spaces allowed). None when it names nobody."""
    from .validators import normalize_nip

    if not typed:
        return None
    users = get_user_model()._default_manager
    if "@" in typed:
        found = users.filter(email__iexact=typed).values_list("pk", flat=True).first()
        return found or (
            EmailAddress.objects.filter(email__iexact=typed)
            .values_list("user_id", flat=True)
            .first()
        )
    return users.filter(nip=normalize_nip(typed)).values_list("pk", flat=True).first()
