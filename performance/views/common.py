"""What every performance view shares: the object the user may see, the page of a list, a
service's ValidationError onto a form or into a message, the POST half of a form view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def apply_errors(form, exc: ValidationError, *others) -> None:
    """A service's refusal onto the form: a field error on the first of `form` and `others`
    that has the field, the rest on `form`."""
    forms = [f for f in (form, *others) if f is not None]
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = next((f for f in forms if field in f.fields), forms[0])
            for error in errors:
                target.add_error(field if field in target.fields else None, error)
    else:
        for message in exc.messages:
            forms[0].add_error(None, message)


def flash_errors(request: HttpRequest, form) -> None:
    """Every error of `form` as a message, for a form the page does not show again."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def paginate(request: HttpRequest, items, per_page: int) -> Page:
    """The page of `items` that `?halaman=` asks for (the first, or the last when past it)."""
    return Paginator(items, per_page).get_page(request.GET.get("halaman"))


def visible_or_404(request: HttpRequest, objects: QuerySet, pk: int):
    """The object (an SKP or a report) if the user may see it; 404 otherwise, also when it is
    hidden from them (no page says it exists)."""
    found = get_object_or_404(objects, pk=pk)
    if not found.can_view(request.user):
        raise Http404
    return found


def post_and_redirect(
    request: HttpRequest, action: Callable[[], Any], *, success: str, then: Any
) -> HttpResponse:
    """A POST without a form (a button): run the service, flash its refusal or `success`,
    redirect to `then`."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(then)


def confirmed(request: HttpRequest) -> bool:
    """The POST is the confirmation of a previewed step (`performance/includes/
    confirm_form.html`), not the first POST nor its "ubah" (back to the choices)."""
    return request.POST.get("konfirmasi") == "ya" and "ubah" not in request.POST


def form_post(
    request: HttpRequest,
    form,
    action: Callable[[dict], Any],
    *,
    success: str | Callable[[Any], str],
    then: Any,
    general_errors: str = "form",
) -> HttpResponse | None:
    """The POST half of a form view: form -> service -> message -> redirect.

    A valid form runs `action(form.cleaned_data)` (the service call), flashes `success` and
    redirects to `then` (both may be functions of what the service returned). A ValidationError
    goes onto the form; with `general_errors="message"` one without a field is flashed instead.
    Returns None when the view must render the form again (it carries the errors).
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        if general_errors == "message" and not hasattr(exc, "error_dict"):
            messages.error(request, error_text(exc))
        else:
            apply_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)
