from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicQuestion

ERRORS = {
    "required": _("Pertanyaan ini belum dijawab."),
    "invalid_choice": _(
        "Pilihan jawaban tidak dikenal. Muat ulang halaman kuis lalu pilih lagi jawaban Anda."
    ),
    "invalid_list": _("Pilihan jawaban tidak dikenal."),
}

INPUT = {"class": "form-check-input"}


class QuizForm(forms.Form):
    """One field per question, keyed `q-<question id>`; values are opaque choice tokens."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[PublicQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            options = {
                "label": question.text,
                "choices": question.choices,
                "error_messages": ERRORS,
            }
            if question.multiple:
                field = forms.MultipleChoiceField(
                    widget=forms.CheckboxSelectMultiple(attrs=INPUT), **options
                )
            else:
                field = forms.ChoiceField(widget=forms.RadioSelect(attrs=INPUT), **options)
            field.number = number
            field.multiple = question.multiple
            self.fields[f"q-{question.id}"] = field

    def question_fields(self):
        return [self[f"q-{q.id}"] for q in self.questions]

    def answers(self) -> dict[str, list[str]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data[f"q-{question.id}"]
            result[question.id] = list(value) if isinstance(value, list) else [value]
        return result


class GrantAttemptsForm(forms.Form):
    """Admin BKPSDM: extra quiz attempts for one person and module, with a reason."""

    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    module = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    attempts = forms.TypedChoiceField(
        label=_("Tambahan percobaan"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        initial=1,
        error_messages={"invalid_choice": _("Pilih 1 sampai 5 percobaan.")},
    )
    reason = forms.CharField(
        label=_("Alasan"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Tuliskan alasannya; alasan dicatat bersama nama Anda."),
            "min_length": _("Alasan terlalu singkat (minimal 10 karakter)."),
        },
    )
