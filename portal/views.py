from http import HTTPStatus

from allauth.account.views import EmailView as AllauthEmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import health
from .beranda import beranda_cards
from .notifications import Notification, mark_all_read
from .people import email_in_use
from .privacy import personal_data


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_ok()
    layer = health.channel_layer_ok()
    body = {
        "status": "ok" if database else "error",
        "database": "ok" if database else "error",
        "channel_layer": "ok" if layer else "degraded",
    }
    return JsonResponse(body, status=HTTPStatus.OK if database else HTTPStatus.SERVICE_UNAVAILABLE)


@login_required
@require_GET
def beranda(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/beranda.html", {"cards": beranda_cards(request)})


@never_cache
@login_required
@require_GET
def personal_data_download(request: HttpRequest) -> JsonResponse:
    """Everything the portal holds about the logged-in user (and only them), as a JSON file."""
    data = personal_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"data-saya-{request.user.nip}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        mark_all_read(user=request.user)
        return redirect("portal:notifications")
    page = Paginator(
        Notification.objects.for_user(request.user).select_related("actor"), 20
    ).get_page(request.GET.get("halaman"))
    return render(request, "portal/notifications.html", {"page": page})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Services raise PermissionDenied with an Indonesian reason; show it.
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=HTTPStatus.FORBIDDEN)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (an old tab, cookies off): say so in our words."""
    return render(request, "403_csrf.html", status=HTTPStatus.FORBIDDEN)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=HTTPStatus.NOT_FOUND)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the database (and so the session user) may be the problem.
    body = loader.get_template("500.html").render({})
    return HttpResponse(body, status=HTTPStatus.INTERNAL_SERVER_ERROR)


class _EmailView(AllauthEmailView):
    """allauth's /accounts/email/, where an address is used only once it is confirmed."""

    def _action_primary(self, request: HttpRequest, *args, **kwargs):
        address = self._get_email_address(request)
        if address is None:
            return None
        if not address.verified:
            messages.error(
                request,
                _(
                    "Alamat %(email)s belum dikonfirmasi. Buka tautan yang kami kirim ke alamat "
                    "itu (atau pilih “Kirim ulang verifikasi”), lalu jadikan utama."
                )
                % {"email": address.email},
            )
            return None
        if email_in_use(address.email, exclude_user_id=request.user.pk):
            messages.error(
                request,
                _("Alamat %(email)s sudah dipakai pegawai lain; hubungi Admin BKPSDM.")
                % {"email": address.email},
            )
            return None
        return super()._action_primary(request, *args, **kwargs)


account_email = _EmailView.as_view()
