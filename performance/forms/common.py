"""What the performance forms share: Bootstrap styling (portal's), the free text in a textarea,
the note that returns an SKP or a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin


def text_area(
    label: str, *, rows: int, max_length: int | None = 4000, required: str | None = None
) -> forms.CharField:
    """A free text typed in a textarea of `rows` lines, at most `max_length` characters: required
    when `required` gives the message for an empty one, optional without it."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required is not None,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required} if required is not None else None,
    )


class ReturnForm(BootstrapMixin, forms.Form):
    note = text_area(
        _("Catatan untuk perbaikan"),
        rows=3,
        max_length=None,
        required=_("Tulis catatan: apa yang perlu diperbaiki."),
    )
