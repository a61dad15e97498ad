"""Build training pages in tests: make_module(index, lessons=3, quiz=[single(...), multiple(...)]).

A choice text ending in "*" marks a correct answer.
"""

from itertools import count

from training.demo import question
from training.models import Certificate, LessonPage, ModuleConfirmation, TrainingModulePage

_numbers = count(1)


def _choices(texts: list[str]) -> list[tuple[str, bool]]:
    return [(t.rstrip("*"), t.endswith("*")) for t in texts]


def single(key: str, prompt: str, choices: list[str], explanation: str = "Karena begitu.") -> dict:
    return question(f"t-{key}-{next(_numbers)}", prompt, _choices(choices), explanation)


def multiple(
    key: str, prompt: str, choices: list[str], explanation: str = "Karena begitu."
) -> dict:
    return question(
        f"t-{key}-{next(_numbers)}", prompt, _choices(choices), explanation, multiple=True
    )


def make_module(
    index, *, lessons: int = 2, quiz=(), live: bool = True, confirmed: bool = True, **fields
):
    """A module; `confirmed` records an Admin BKPSDM confirmation of its JP and "wajib"."""
    n = next(_numbers)
    defaults = {
        "title": f"Modul uji {n}",
        "slug": f"modul-uji-{n}",
        "summary": "Ringkasan modul uji.",
        "jp_hours": 3,
    }
    module = TrainingModulePage(quiz=list(quiz), **{**defaults, **fields})
    index.add_child(instance=module)
    if live:
        module.save_revision().publish()
    else:
        module.live = False
        module.save()
    for i in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Pelajaran {i}",
            slug=f"pelajaran-{i}",
            body=[{"type": "text", "value": f"<p>Isi pelajaran {i}.</p>"}],
        )
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    module.refresh_from_db()
    if confirmed and live:
        ModuleConfirmation.objects.create(
            module=module, jp=module.jp_hours, mandatory=module.mandatory, note="uji"
        )
    return module


def correct_answers(module) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_tokens) for q in module.questions()}


def wrong_answers(module) -> dict[str, list[str]]:
    return {
        q.id: [next(c.token for c in q.choices if not c.is_correct)] for q in module.questions()
    }


def certify(person, module, issued_at) -> Certificate:
    """A certificate of `module` for `person`, issued at `issued_at`."""
    return Certificate.objects.create(
        user=person,
        module=module,
        holder_name=person.full_name,
        holder_nip=person.nip,
        module_title=module.title,
        jp=3,
        issued_at=issued_at,
    )
