"""What the performance forms share: Bootstrap styling (portal's), the text a person types,
the note that returns an SKP or a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin


def text_field(
    label: str,
    *,
    max_length: int | None = 4000,
    required: str | None = None,
    rows: int | None = None,
    **kwargs,
) -> forms.CharField:
    """Text typed by a person, at most `max_length` characters: required when `required` gives
    the message for an empty one, optional without it; in a textarea of `rows` lines if given."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required is not None,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={"required": required} if required is not None else None,
        **kwargs,
    )


class ReturnForm(BootstrapMixin, forms.Form):
    note = text_field(
        _("Catatan untuk perbaikan"),
        rows=3,
        max_length=None,
        required=_("Tulis catatan: apa yang perlu diperbaiki."),
    )
