"""Issue 15.1: out of quiz attempts is never a dead end.

Policy: when a round of `attempt_limit` attempts is used up, a new round opens
TRAINING_QUIZ_RETRY_WAIT_HOURS after the last attempt once every lesson was read again; Admin
BKPSDM can grant attempts at once, with a reason that is recorded (who, when, why).
"""

import datetime as dt
import re
import uuid
from http import HTTPStatus

import pytest
from django.utils import timezone

from training import services
from training.models import AttemptGrant, Certificate, LessonCompletion, QuizAttempt

from .factories import correct_answers, wrong_answers

pytestmark = pytest.mark.django_db

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def quiz_url(module):
    return f"/pelatihan/kuis/{module.pk}/"


def take_quiz(client, module, answers):
    html = client.get(quiz_url(module)).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {"token": token, **{f"q-{qid}": tokens for qid, tokens in answers.items()}}
    return client.post(quiz_url(module), data, follow=True)


def use_up_attempts(client, employee, module):
    for lesson in module.lessons():
        services.complete_lesson(user=employee, lesson=lesson)
    for _ in range(module.attempt_limit):
        take_quiz(client, module, wrong_answers(module))
    assert QuizAttempt.objects.filter(user=employee).count() == module.attempt_limit


def test_the_module_page_says_when_the_next_round_opens_what_to_reread_and_whom_to_contact(
    client_for, employee, module, bkpsdm_admin, settings
):
    settings.TRAINING_QUIZ_RETRY_WAIT_HOURS = 24
    settings.TRAINING_CONTACT_EMAIL = ""  # falls back to an Admin BKPSDM account
    client = client_for(employee)
    use_up_attempts(client, employee, module)
    last = QuizAttempt.objects.filter(user=employee).latest("created_at").created_at
    opens = (last + dt.timedelta(hours=24)).astimezone(JAKARTA)
    html = client.get(f"/pelatihan/progres/{module.pk}/").content.decode()
    assert "Percobaan kuis putaran ini sudah habis" in html
    assert f"{opens:%H:%M} WIB" in html and str(opens.day) in html
    for lesson in module.lessons():
        assert lesson.title in html
    assert f'href="mailto:{bkpsdm_admin.email}"' in html
    # The quiz itself refuses, with the same date.
    response = client.get(quiz_url(module), follow=True)
    assert f"{opens:%H:%M} WIB" in response.content.decode()


def test_a_new_round_opens_after_the_wait_and_rereading_then_the_employee_passes(
    client_for, employee, module, settings
):
    settings.TRAINING_QUIZ_RETRY_WAIT_HOURS = 24
    client = client_for(employee)
    use_up_attempts(client, employee, module)
    lessons = list(module.lessons())

    # Re-reading alone is not enough before the wait is over.
    for lesson in lessons:
        response = client.post(f"/pelatihan/pelajaran/{lesson.pk}/selesai/")
        assert response.status_code == HTTPStatus.FOUND
    response = take_quiz_post_only(client, module)
    assert "Percobaan putaran ini sudah habis" in response.content.decode()
    assert QuizAttempt.objects.filter(user=employee).count() == module.attempt_limit

    # A day later (the attempts moved back in time) the round still needs the re-reading
    # done after the last attempt: it was, so the quiz opens.
    LessonCompletion.objects.filter(user=employee).update(
        completed_at=timezone.now() - dt.timedelta(hours=26),
        reviewed_at=timezone.now() - dt.timedelta(hours=1),
    )
    QuizAttempt.objects.filter(user=employee).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    response = take_quiz(client, module, correct_answers(module))
    assert response.status_code == HTTPStatus.OK
    assert Certificate.objects.filter(user=employee, module=module).exists()
    grant = AttemptGrant.objects.get(user=employee, module=module)
    assert grant.granted_by is None and grant.attempts == module.attempt_limit


def take_quiz_post_only(client, module):
    data = {"token": str(uuid.uuid4()), **{f"q-{q}": t for q, t in correct_answers(module).items()}}
    return client.post(quiz_url(module), data, follow=True)


def test_waiting_is_not_enough_without_rereading(client_for, employee, module):
    client = client_for(employee)
    use_up_attempts(client, employee, module)
    LessonCompletion.objects.filter(user=employee).update(
        completed_at=timezone.now() - dt.timedelta(days=4)
    )
    QuizAttempt.objects.filter(user=employee).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    response = take_quiz_post_only(client, module)
    assert "membaca ulang" in response.content.decode()
    assert QuizAttempt.objects.filter(user=employee).count() == module.attempt_limit


def test_admin_bkpsdm_finds_the_person_and_grants_attempts_with_a_recorded_reason(
    client_for, client, employee, module, bkpsdm_admin
):
    use_up_attempts(client_for(employee), employee, module)

    admin = client_for(bkpsdm_admin)
    response = admin.get("/pelatihan/pemantauan/percobaan/", {"q": employee.full_name[:5]})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert employee.full_name in html and module.title in html

    # No reason: refused, nothing saved, what was chosen is kept.
    response = admin.post(
        "/pelatihan/pemantauan/percobaan/tambah/",
        {"user": employee.pk, "module": module.pk, "attempts": "2", "reason": "singkat"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Alasan terlalu singkat" in response.content.decode()
    assert ">singkat</textarea>" in response.content.decode()
    assert not AttemptGrant.objects.exists()

    reason = "Pendampingan tatap muka sudah dilakukan 2 Desember."
    response = admin.post(
        "/pelatihan/pemantauan/percobaan/tambah/",
        {"user": employee.pk, "module": module.pk, "attempts": "2", "reason": reason},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    grant = AttemptGrant.objects.get()
    assert (grant.granted_by, grant.attempts, grant.reason) == (bkpsdm_admin, 2, reason)
    assert reason in response.content.decode()  # the history shows who, when, why

    # The employee can take the quiz at once, and passes.
    client = client_for(employee)
    response = take_quiz(client, module, correct_answers(module))
    assert Certificate.objects.filter(user=employee, module=module).exists()


def test_only_admin_bkpsdm_grants_attempts(client_for, employee, supervisor, module):
    use_up_attempts(client_for(employee), employee, module)
    for person in (employee, supervisor):
        response = client_for(person).post(
            "/pelatihan/pemantauan/percobaan/tambah/",
            {
                "user": employee.pk,
                "module": module.pk,
                "attempts": "5",
                "reason": "Saya mau mencoba lagi sekarang.",
            },
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert not AttemptGrant.objects.exists()


def test_the_answer_key_stays_hidden_when_attempts_run_out(client_for, employee, module):
    """A new round always comes, so the key would help to pass: shown only after passing."""
    client = client_for(employee)
    use_up_attempts(client, employee, module)
    attempt = QuizAttempt.objects.filter(user=employee).latest("pk")
    html = client.get(f"/pelatihan/kuis/hasil/{attempt.pk}/").content.decode()
    assert "Kunci jawaban ditampilkan setelah Anda lulus" in html
