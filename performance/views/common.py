"""What every performance view shares: a service's ValidationError onto a form, the POST half of a form view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


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
