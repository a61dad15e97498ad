"""What the performance forms share: Bootstrap styling, the note that returns an SKP or a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    """Give every widget Bootstrap's class and mark invalid fields for assistive tech."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk perbaikan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis catatan: apa yang perlu diperbaiki.")},
    )
