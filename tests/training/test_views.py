import datetime as dt
import io
import re
import uuid
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from portal.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from training import services
from training.models import (
    Certificate,
    Enrollment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    TrainingIndexPage,
)

from .factories import correct_answers, make_module, multiple, single, wrong_answers

pytestmark = pytest.mark.django_db


def finish_lessons(user, module):
    for lesson in module.lessons():
        services.complete_lesson(user=user, lesson=lesson)


def complete(user, module):
    finish_lessons(user, module)
    if module.has_quiz:
        services.submit_quiz(
            user=user, module=module, answers=correct_answers(module), token=uuid.uuid4()
        )
    return Certificate.objects.get(user=user, module=module)


def quiz_url(module):
    return f"/pelatihan/kuis/{module.pk}/"


def form_token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def post_data(token, answers):
    return {"token": token, **{f"q-{qid}": tokens for qid, tokens in answers.items()}}


# --- catalogue and module pages ---------------------------------------------------------------


def test_catalogue_lists_live_modules_and_filters(client, training_index, module):
    mandatory = make_module(
        training_index, lessons=1, mandatory=True, berakhlak_values=["akuntabel"]
    )
    draft = make_module(training_index, lessons=1, live=False)
    response = client.get("/pelatihan/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert module.title in html and mandatory.title in html and draft.title not in html
    assert html.index(mandatory.title) < html.index(module.title)  # mandatory first
    html = client.get("/pelatihan/?jenis=wajib").content.decode()
    assert mandatory.title in html and module.title not in html
    html = client.get("/pelatihan/?nilai=akuntabel").content.decode()
    assert mandatory.title in html and module.title not in html
    html = client.get("/pelatihan/?nilai=harmonis").content.decode()
    assert "Belum ada modul yang cocok" in html


def test_catalogue_card_and_module_page_show_a_modules_badges(client, training_index):
    mandatory = make_module(training_index, lessons=1, mandatory=True, minutes=25, jp_hours=4)
    optional = make_module(training_index, lessons=1, minutes=40, jp_hours=2)
    card = client.get("/pelatihan/").content.decode()
    for module in (mandatory, optional):
        page = client.get(module.url).content.decode()
        colour, kind = ("danger", "Wajib") if module.mandatory else ("secondary", "Pilihan")
        for html in (card, page):
            assert f'<span class="badge text-bg-{colour}">{kind}</span>' in html
            assert f"{module.minutes} menit</span>" in html
            assert f"</i>{module.jp_hours} JP</span>" in html


def test_catalogue_filters_by_my_status(client_for, employee, training_index, module):
    done = make_module(training_index, lessons=1)
    complete(employee, done)
    client = client_for(employee)
    html = client.get("/pelatihan/?status=selesai").content.decode()
    assert done.title in html and module.title not in html
    response = client.get("/pelatihan/?status=belum")
    assert module.title in response.content.decode() and done.title not in response.content.decode()
    assert response["Cache-Control"] == "private"


def test_catalogue_pages_keep_the_filters(client, training_index, monkeypatch):
    monkeypatch.setattr(TrainingIndexPage, "page_size", 1)
    for _ in range(3):
        make_module(training_index, lessons=1, mandatory=True)
    html = client.get("/pelatihan/?jenis=wajib&halaman=2").content.decode()
    assert 'href="?jenis=wajib&amp;nilai=&amp;status=&amp;halaman=1">Sebelumnya' in html
    assert 'href="?jenis=wajib&amp;nilai=&amp;status=&amp;halaman=3">Berikutnya' in html
    assert 'aria-label="Halaman katalog"' in html


def test_catalogue_status_filters_tell_started_from_done_and_untouched(
    client_for, employee, training_index, module
):
    started = make_module(training_index, lessons=2)
    services.enroll(user=employee, module=started)
    done = make_module(training_index, lessons=1)
    complete(employee, done)
    client = client_for(employee)
    shown = {
        status: {
            m.title
            for m in (module, started, done)
            if f">{m.title}<" in client.get(f"/pelatihan/?status={status}").content.decode()
        }
        for status in ("belum", "berjalan", "selesai")
    }
    assert shown == {
        "belum": {module.title},
        "berjalan": {started.title},
        "selesai": {done.title},
    }


def test_catalogue_status_partial_has_a_badge_per_module(client_for, employee, module):
    html = client_for(employee).get("/pelatihan/status/").content.decode()
    assert f'id="modul-status-{module.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "Belum dimulai" in html


def test_catalogue_status_query_count_does_not_grow(
    client_for, employee, training_index, django_assert_num_queries
):
    client = client_for(employee)
    make_module(training_index, lessons=2)
    client.get("/pelatihan/status/")
    with CaptureQueriesContext(connection) as small:
        client.get("/pelatihan/status/")
    for _ in range(4):
        module = make_module(training_index, lessons=3)
        finish_lessons(employee, module)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/pelatihan/status/")


def test_first_visit_enrols(client_for, employee, module):
    client = client_for(employee)
    assert client.get(module.url).status_code == HTTPStatus.OK
    response = client.get(f"/pelatihan/progres/{module.pk}/")
    assert response.status_code == HTTPStatus.OK
    assert "0 dari 4 langkah selesai (0 dari 3 pelajaran, kuis belum lulus)" in (
        response.content.decode()
    )
    assert Enrollment.objects.filter(user=employee, module=module).count() == 1
    client.get(f"/pelatihan/progres/{module.pk}/")
    assert Enrollment.objects.filter(user=employee, module=module).count() == 1


def test_anonymous_visitor_sees_the_module_but_is_not_enrolled(client, module):
    response = client.get(f"/pelatihan/progres/{module.pk}/")
    assert "Masuk untuk mulai belajar" in response.content.decode()
    assert not Enrollment.objects.exists()


# --- lessons ------------------------------------------------------------------------------------


def test_locked_lesson_says_so_and_saves_nothing(client_for, employee, lessons):
    client = client_for(employee)
    response = client.get(lessons[2].url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Pelajaran ini masih terkunci" in response.content.decode()
    response = client.post(f"/pelatihan/pelajaran/{lessons[2].pk}/selesai/", follow=True)
    assert "masih terkunci" in response.content.decode()
    assert not LessonCompletion.objects.exists()


def test_lesson_and_quiz_breadcrumbs_lead_to_the_catalogue_page_where_it_is(
    client_for, employee, training_index, module, lessons
):
    training_index.slug = "katalog"
    training_index.save_revision().publish()
    module.refresh_from_db()
    client = client_for(employee)
    catalogue = '<li class="breadcrumb-item"><a href="/katalog/">Pelatihan</a></li>'
    assert catalogue in client.get(LessonPage.objects.get(pk=lessons[0].pk).url).content.decode()
    for lesson in module.lessons():
        services.complete_lesson(user=employee, lesson=lesson)
    assert catalogue in client.get(quiz_url(module)).content.decode()


def test_lesson_needs_login(client, lessons):
    response = client.get(lessons[0].url)
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_completing_a_lesson_moves_to_the_next(client_for, employee, lessons):
    client = client_for(employee)
    assert client.get(lessons[0].url).status_code == HTTPStatus.OK
    response = client.post(f"/pelatihan/pelajaran/{lessons[0].pk}/selesai/")
    assert response["Location"] == lessons[1].url
    assert client.get(lessons[1].url).status_code == HTTPStatus.OK


def test_last_lesson_opens_the_quiz(client_for, employee, module, lessons):
    client = client_for(employee)
    for lesson in lessons[:-1]:
        services.complete_lesson(user=employee, lesson=lesson)
    response = client.post(f"/pelatihan/pelajaran/{lessons[-1].pk}/selesai/")
    assert response["Location"] == quiz_url(module)


# --- quiz ---------------------------------------------------------------------------------------


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="token" value="[^"]+"', "", html)


def test_rendered_quiz_carries_nothing_that_marks_correct_choices(
    client_for, employee, training_index
):
    module = make_module(
        training_index,
        lessons=1,
        quiz=[
            single("x", "Pilih B", ["A", "B*", "C"]),
            multiple("y", "Pilih genap", ["1", "2*", "3", "4*"]),
        ],
    )
    finish_lessons(employee, module)
    client = client_for(employee)
    before = client.get(quiz_url(module)).content.decode()
    for marker in ("is_correct", "checked", "review-correct", "kunci"):
        assert marker not in before
    # Flip which choices are correct, keeping every block id: the page must not change.
    raw = module.quiz.raw_data
    for block in raw:
        for item in block["value"]["choices"]:
            item["value"]["is_correct"] = not item["value"]["is_correct"]
    raw[0]["value"]["choices"][2]["value"]["is_correct"] = False  # still one correct
    module.quiz = raw
    module.save_revision().publish()
    after = client.get(quiz_url(module)).content.decode()
    assert _normalise(before) == _normalise(after)
    for question in module.questions():
        for choice in question.choices:
            assert choice.token in after and len(choice.token) == 16


def test_quiz_is_refused_until_lessons_are_done(client_for, employee, module):
    response = client_for(employee).get(quiz_url(module), follow=True)
    assert "Kuis terbuka setelah semua pelajaran selesai" in response.content.decode()


def test_missing_answer_keeps_what_was_chosen_and_counts_nothing(client_for, employee, module):
    finish_lessons(employee, module)
    client = client_for(employee)
    token = form_token(client.get(quiz_url(module)).content.decode())
    q1, q2 = module.questions()
    chosen = next(iter(q1.correct_tokens))
    response = client.post(quiz_url(module), post_data(token, {q1.id: [chosen]}))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "Pertanyaan ini belum dijawab." in html
    assert re.search(rf'value="{chosen}"[^>]*checked', html)
    assert not QuizAttempt.objects.exists()


def test_foreign_answer_id_is_refused(client_for, employee, module):
    finish_lessons(employee, module)
    client = client_for(employee)
    token = form_token(client.get(quiz_url(module)).content.decode())
    answers = correct_answers(module)
    first = next(iter(answers))
    answers[first] = ["0000000000000000"]
    response = client.post(quiz_url(module), post_data(token, answers))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Pilihan jawaban tidak dikenal" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_submitting_the_same_form_twice_counts_once(client_for, employee, module):
    finish_lessons(employee, module)
    client = client_for(employee)
    token = form_token(client.get(quiz_url(module)).content.decode())
    first = client.post(quiz_url(module), post_data(token, wrong_answers(module)))
    second = client.post(quiz_url(module), post_data(token, wrong_answers(module)), follow=True)
    attempt = QuizAttempt.objects.get()
    assert first["Location"] == f"/pelatihan/kuis/hasil/{attempt.pk}/"
    assert "sudah dinilai sebelumnya" in second.content.decode()
    assert second.redirect_chain[-1][0] == first["Location"]


def test_after_the_limit_the_quiz_says_so(client_for, employee, module):
    finish_lessons(employee, module)
    for _ in range(module.attempt_limit):
        services.submit_quiz(
            user=employee, module=module, answers=wrong_answers(module), token=uuid.uuid4()
        )
    client = client_for(employee)
    response = client.get(quiz_url(module), follow=True)
    assert "Percobaan putaran ini sudah habis" in response.content.decode()
    response = client.post(
        quiz_url(module), post_data(str(uuid.uuid4()), correct_answers(module)), follow=True
    )
    assert "Percobaan putaran ini sudah habis" in response.content.decode()
    assert QuizAttempt.objects.count() == module.attempt_limit


def test_result_shows_explanations_but_hides_the_key_while_attempts_remain(
    client_for, employee, module
):
    finish_lessons(employee, module)
    attempt = services.submit_quiz(
        user=employee, module=module, answers=wrong_answers(module), token=uuid.uuid4()
    )
    html = client_for(employee).get(f"/pelatihan/kuis/hasil/{attempt.pk}/").content.decode()
    assert "Belum lulus" in html and "Karena begitu." in html
    assert "review-correct" not in html
    attempt = services.submit_quiz(
        user=employee, module=module, answers=correct_answers(module), token=uuid.uuid4()
    )
    html = client_for(employee).get(f"/pelatihan/kuis/hasil/{attempt.pk}/").content.decode()
    assert "Selamat, Anda lulus!" in html and "review-correct" in html
    assert "Unduh sertifikat (PDF)" in html


def test_someone_elses_result_is_not_found(client_for, employee, module):
    finish_lessons(employee, module)
    attempt = services.submit_quiz(
        user=employee, module=module, answers=wrong_answers(module), token=uuid.uuid4()
    )
    other = client_for(UserFactory())
    assert other.get(f"/pelatihan/kuis/hasil/{attempt.pk}/").status_code == HTTPStatus.NOT_FOUND


# --- certificates -------------------------------------------------------------------------------


@pytest.fixture
def certificate(employee, module):
    certificate = complete(employee, module)
    certificate.issued_at = timezone.make_aware(dt.datetime(2026, 8, 17, 9, 0))
    certificate.save()
    return certificate


def test_check_page_is_public_and_in_indonesian(client, certificate, employee, module):
    response = client.get(f"/sertifikat/{certificate.code}/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for text in (employee.full_name, module.title, "3 JP", "17 Agustus 2026", "Sertifikat sah"):
        assert text in html
    assert employee.nip[:8] not in html  # the NIP (with a birth date) is not public


def test_unknown_certificate_is_an_indonesian_404(client):
    response = client.get("/sertifikat/AAAAAAAAAAAAAAAA/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Sertifikat tidak dikenal" in response.content.decode()


def test_certificate_pdf_carries_name_nip_module_jp_date_and_link(
    client_for, certificate, employee, module
):
    response = client_for(employee).get(f"/sertifikat/{certificate.code}/pdf/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    nip = employee.nip
    for expected in (
        employee.full_name,
        f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        module.title,
        "3 JP",
        "17 Agustus 2026",
        f"/sertifikat/{certificate.code}/",
    ):
        assert expected in text
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].images, "the QR code is drawn as an image"


def test_certificate_pdf_only_for_its_owner_and_bkpsdm(client, certificate, bkpsdm_admin):
    url = f"/sertifikat/{certificate.code}/pdf/"
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(bkpsdm_admin)
    assert client.get(url).status_code == HTTPStatus.OK


# --- beranda ------------------------------------------------------------------------------------


def test_beranda_card_shows_progress_and_jp(client_for, employee, training_index, module, settings):
    settings.TRAINING_JP_TARGET_PER_YEAR = 20
    mandatory = make_module(training_index, lessons=2, mandatory=True, jp_hours=6)
    complete(employee, mandatory)
    services.enroll(user=employee, module=module)
    html = client_for(employee).get("/beranda/").content.decode()
    assert "JP tahun ini: 6 dari 20" in html
    assert html.index(mandatory.title) < html.index(module.title)


def test_beranda_query_count_does_not_grow(
    client_for, employee, training_index, django_assert_num_queries
):
    client = client_for(employee)
    first = make_module(training_index, lessons=2, mandatory=True)
    complete(employee, first)
    client.get("/beranda/")
    with CaptureQueriesContext(connection) as small:
        client.get("/beranda/")
    for _ in range(3):
        module = make_module(training_index, lessons=3, mandatory=True)
        complete(employee, module)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/beranda/")


# --- oversight ------------------------------------------------------------------------------------


def test_oversight_is_for_admin_bkpsdm_only(client_for, employee):
    assert client_for(employee).get("/pelatihan/pemantauan/").status_code == HTTPStatus.FORBIDDEN
    assert (
        client_for(employee).get("/pelatihan/pemantauan/csv/").status_code == HTTPStatus.FORBIDDEN
    )


def _people_in(opd_count: int, per_opd: int, module):
    for _ in range(opd_count):
        opd = OrgUnitFactory()
        bidang = OrgUnitFactory(parent=opd, kind=OrgUnit.Kind.BIDANG)
        for n in range(per_opd):
            user = UserFactory(org_unit=bidang if n % 2 else opd)
            if n == 0:
                complete(user, module)


def test_oversight_counts_completions_per_opd_with_constant_queries(
    client, bkpsdm_admin, training_index, django_assert_num_queries
):
    module = make_module(training_index, lessons=1, mandatory=True)
    _people_in(2, 3, module)
    client.force_login(bkpsdm_admin)
    client.get("/pelatihan/pemantauan/")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/pelatihan/pemantauan/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '1 <span class="text-body-secondary">(33%)</span>' in html
    _people_in(8, 5, module)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/pelatihan/pemantauan/")
    assert 'id="data-grafik-pelatihan"' in response.content.decode()


def test_oversight_csv(client, bkpsdm_admin, training_index):
    module = make_module(training_index, lessons=1, mandatory=True)
    opd = OrgUnitFactory(name="Dinas Contoh")
    people = [UserFactory(org_unit=opd) for _ in range(4)]
    complete(people[0], module)
    client.force_login(bkpsdm_admin)
    response = client.get("/pelatihan/pemantauan/csv/")
    assert response.status_code == HTTPStatus.OK
    lines = response.content.decode("utf-8-sig").splitlines()
    # `;` and a BOM: Indonesian Excel (list separator `;`) opens it in columns.
    assert response.content.startswith("\ufeff".encode())
    assert lines[0].startswith("Perangkat Daerah;Jumlah pegawai")
    assert "Dinas Contoh;4;1;25" in lines


def test_last_lesson_of_a_module_without_quiz_completes_it(client_for, employee, training_index):
    module = make_module(training_index, lessons=1)
    lesson = next(iter(module.lessons()))
    response = client_for(employee).post(f"/pelatihan/pelajaran/{lesson.pk}/selesai/", follow=True)
    assert "Modul selesai. Sertifikat Anda sudah terbit." in response.content.decode()
    assert Certificate.objects.filter(user=employee, module=module).exists()
