from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.domain import berakhlak_values
from portal.models import OrgUnit, User

RECEIVER_UNPICKED = _("Pilih pegawai penerima dari hasil pencarian.")


def pick_errors(message: str, invalid: str = "invalid_choice") -> dict[str, str]:
    """One message for a pick left empty and for one that is not among the options."""
    return {"required": message, invalid: message}


def point_choices(with_points: bool) -> list[tuple[str, str]]:
    choices = [("0", _("Ucapan terima kasih (tanpa poin)"))]
    if with_points:
        choices += [(str(n), _("%(n)s poin") % {"n": n}) for n in settings.LEADERBOARD_POINT_LEVELS]
    return choices


class GiveRecognitionForm(forms.Form):
    """ "Beri Apresiasi": who, which BerAKHLAK value, how many points, and why."""

    receiver = forms.IntegerField(
        label=_("Penerima"),
        widget=forms.HiddenInput,
        error_messages=pick_errors(RECEIVER_UNPICKED, invalid="invalid"),
    )
    value = forms.ChoiceField(
        label=_("Nilai BerAKHLAK"),
        widget=forms.RadioSelect,
        error_messages=pick_errors(_("Pilih salah satu nilai BerAKHLAK.")),
    )
    points = forms.ChoiceField(
        label=_("Tingkat apresiasi"),
        widget=forms.RadioSelect,
        error_messages=pick_errors(_("Pilih salah satu tingkat poin yang tersedia.")),
    )
    message = forms.CharField(
        label=_("Pesan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ceritakan perilaku yang Anda hargai, misalnya apa yang dilakukan dan dampaknya."
        ),
        error_messages={
            "required": _("Tulis pesan apresiasi Anda."),
            "max_length": _("Pesan paling banyak 1000 karakter."),
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, with_points: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = berakhlak_values()
        self.fields["value"].choices = [(v["code"], v["name"]) for v in self.values]
        self.fields["points"].choices = point_choices(with_points)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
            self.initial.setdefault("points", "0" if not with_points else "")

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Tulis pesan apresiasi Anda."))
        return message

    def clean_receiver(self) -> User:
        receiver = User.objects.filter(pk=self.cleaned_data["receiver"]).first()
        if receiver is None:
            raise forms.ValidationError(RECEIVER_UNPICKED)
        return receiver


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis alasan pencabutan.")},
    )


class BoardPrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["board_opt_out"]


class KioskLinkForm(forms.Form):
    org_unit = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=OrgUnit.objects.perangkat_daerah(),
        error_messages={"required": _("Pilih perangkat daerah.")},
    )
    label = forms.CharField(label=_("Label layar"), max_length=120, required=False)
