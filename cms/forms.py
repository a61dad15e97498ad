from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("jawaban"),
        choices=[("setuju", _("Setuju")), ("tolak", _("Tidak setuju"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("komentar untuk penulis"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi bila Anda tidak setuju."),
    )
