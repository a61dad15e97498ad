"""Admin BKPSDM's staff register import inside the Wagtail admin (same service as the command)."""

import uuid
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .decorators import bkpsdm_admin_required
from .forms import EmployeeImportForm
from .models import AuditEntry
from .services import import_employees, read_register
from .validators import normalize_nip

SESSION_KEY = "employee_import_pending"


def _titled(title: str) -> dict:
    """The heading of a page on Wagtail's generic base (empty without it)."""
    return {"page_title": title, "header_title": title}


@bkpsdm_admin_required
@require_http_methods(["GET", "POST"])
def employee_import(request: HttpRequest) -> HttpResponse:
    """Upload → dry run with row errors → confirm. The file waits in private storage between steps."""
    storage = storages["private"]
    form = EmployeeImportForm()
    result = None
    pending = request.session.get(SESSION_KEY)
    status = HTTPStatus.OK
    if request.method == "POST" and request.POST.get("action") == "confirm" and pending:
        data = storage.open(pending["path"]).read()
        result = import_employees(
            rows=read_register(data, pending["name"]),
            dry_run=False,
            actor=request.user,
            end_missing=pending.get("end_missing", False),
            partial=pending.get("partial", False),
        )
        if result.busy:
            # Another sync is writing (the API or another upload): nothing was saved and the
            # file keeps waiting, so "Impor sekarang" can be pressed again in a moment.
            return render(
                request,
                "portal/admin/employee_import.html",
                {"form": form, "result": result, "pending": pending, **_titled(_("Impor pegawai"))},
                status=HTTPStatus.CONFLICT,
            )
        storage.delete(pending["path"])
        del request.session[SESSION_KEY]
        if result.written or result.ok:
            messages.success(
                request,
                _("%(created)s pegawai dibuat, %(updated)s pegawai diperbarui.")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            if result.ended:
                messages.success(
                    request,
                    _("Penempatan %(count)s pegawai yang tidak ada di berkas diakhiri.")
                    % {"count": len(result.ended)},
                )
            if result.ok:
                return redirect("portal_employee_import")
        # partial: the bad rows stay on the page to be fixed; else nothing was saved
        status = HTTPStatus.OK if result.written else HTTPStatus.UNPROCESSABLE_ENTITY
    elif request.method == "POST":
        if pending:  # a new file replaces the one waiting for confirmation
            storage.delete(pending["path"])
            del request.session[SESSION_KEY]
        form = EmployeeImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                rows = read_register(data, upload.name)
            except (ValidationError, ValueError, KeyError) as exc:
                messages_ = getattr(exc, "messages", [_("Berkas tidak dapat dibaca.")])
                form.add_error("file", messages_)
                status = HTTPStatus.UNPROCESSABLE_ENTITY
            else:
                end_missing = form.cleaned_data["end_missing"]
                partial = form.cleaned_data["partial"]
                result = import_employees(
                    rows=rows,
                    dry_run=True,
                    actor=request.user,
                    end_missing=end_missing,
                    partial=partial,
                )
                if result.ok or (partial and result.written):
                    # The stored name is ours: the uploaded one may be long or odd (the
                    # suffix, which says how to read it, is kept).
                    name = get_valid_filename(upload.name)[-80:].lstrip(".-") or "register.csv"
                    path = storage.save(f"imports/{uuid.uuid4().hex}-{name}", ContentFile(data))
                    request.session[SESSION_KEY] = {
                        "path": path,
                        "name": name,
                        "end_missing": end_missing,
                        "partial": partial,
                    }
                else:
                    status = HTTPStatus.UNPROCESSABLE_ENTITY
        else:
            status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "portal/admin/employee_import.html",
        {
            "form": form,
            "result": result,
            "pending": request.session.get(SESSION_KEY),
            **_titled(_("Impor pegawai")),
        },
        status=status,
    )


AUDIT_PAGE_SIZE = 50


@bkpsdm_admin_required
@require_http_methods(["GET"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who changed whose roles, activity, unit, atasan or e-mail: read-only, for Admin BKPSDM."""
    entries = AuditEntry.objects.for_listing()
    query = request.GET.get("q", "").strip()[:100]
    if query:
        nip = normalize_nip(query)
        entries = entries.filter(
            Q(subject__nip=nip)
            | Q(subject__full_name__icontains=query)
            | Q(subject_label__icontains=query)
        )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "portal/admin/audit_log.html",
        {"page": page, "query": query, **_titled(_("Riwayat perubahan pegawai"))},
    )
