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
