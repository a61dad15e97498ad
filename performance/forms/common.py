"""What the performance forms share: Bootstrap styling (portal's), the note that returns an SKP
or a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk perbaikan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis catatan: apa yang perlu diperbaiki.")},
    )
