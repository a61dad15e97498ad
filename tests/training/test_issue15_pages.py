"""Issues 15.11, 15.10 and 14.7 (screens): certificate code form, progress numbers that agree,
the XLSX / CSV export, and the Admin BKPSDM JP confirmation screen."""

import io
import uuid
from http import HTTPStatus

import pytest
from openpyxl import load_workbook

from leaderboard.models import PointEntry
from portal.exports import safe_cell
from tests.factories import OrgUnitFactory, UserFactory
from training import services
from training.models import Certificate, ModuleConfirmation

from .factories import correct_answers, make_module, single

pytestmark = pytest.mark.django_db


def complete(user, module):
    for lesson in module.lessons():
        services.complete_lesson(user=user, lesson=lesson)
    if module.has_quiz:
        services.submit_quiz(
            user=user, module=module, answers=correct_answers(module), token=uuid.uuid4()
        )
    return Certificate.objects.get(user=user, module=module)


# --- /sertifikat/: type or paste a code ------------------------------------------------------


def test_certificate_page_has_a_code_field_that_leads_to_the_verification(
    client, employee, training_index
):
    certificate = complete(employee, make_module(training_index, lessons=1))
    response = client.get("/sertifikat/")
    assert response.status_code == HTTPStatus.OK
    assert 'name="kode"' in response.content.decode()
    # Pasted with spaces, dashes and in lower case: still found.
    pasted = "-".join(certificate.code[i : i + 4] for i in range(0, 16, 4)).lower()
    response = client.get("/sertifikat/", {"kode": f"  {pasted} "})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/sertifikat/{certificate.code}/"


def test_a_wrong_code_says_so_in_indonesian_and_keeps_it(client, db):
    response = client.get("/sertifikat/", {"kode": "ABCD0189"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "Tidak ada sertifikat dengan kode “ABCD0189”" in html
    assert 'value="ABCD0189"' in html
    response = client.get("/sertifikat/", {"kode": ""})
    assert "Tuliskan kode sertifikat" in response.content.decode()


# --- progress: the percentage and the words count the same steps ------------------------------


def test_progress_words_agree_with_the_percentage(client_for, employee, training_index):
    module = make_module(training_index, lessons=5, quiz=[single("q", "Benar?", ["Ya*", "Tidak"])])
    for lesson in module.lessons():
        services.complete_lesson(user=employee, lesson=lesson)
    html = client_for(employee).get(f"/pelatihan/progres/{module.pk}/").content.decode()
    # 5 lessons + the quiz = 6 steps; 5 done = 83 %, and the words say 5 of 6 steps.
    assert "83%" in html
    assert "5 dari 6 langkah selesai (5 dari 5 pelajaran, kuis belum lulus)" in html


# --- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 22", "'+62 22"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Dinas Kesehatan", "Dinas Kesehatan"),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_training_export_xlsx_opens_in_columns_and_neutralises_formulas(
    client, bkpsdm_admin, training_index
):
    module = make_module(training_index, lessons=1, title="=1+1 Modul")
    opd = OrgUnitFactory(name="@Dinas Contoh")
    people = [UserFactory(org_unit=opd) for _ in range(4)]
    complete(people[0], module)
    client.force_login(bkpsdm_admin)
    response = client.get("/pelatihan/pemantauan/xlsx/")
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Perangkat Daerah", "Jumlah pegawai", "'=1+1 Modul (selesai)"]
    assert ["'@Dinas Contoh", 4, 1, 25] in rows
    csv = client.get("/pelatihan/pemantauan/csv/").content.decode("utf-8-sig")
    assert "'@Dinas Contoh;4;1;25" in csv.splitlines()


# --- Admin BKPSDM confirms JP and "wajib" ----------------------------------------------------


def test_admin_bkpsdm_confirms_jp_and_earlier_completions_get_jp_and_points(
    client_for, employee, bkpsdm_admin, training_index, settings
):
    settings.TRAINING_POINTS_PER_MODULE = 50
    module = make_module(training_index, lessons=1, mandatory=True, jp_hours=4, confirmed=False)
    certificate = complete(employee, module)
    assert certificate.jp == 0
    assert not PointEntry.objects.exists()
    html = client_for(employee).get(f"/pelatihan/progres/{module.pk}/").content.decode()
    assert "belum disahkan Admin BKPSDM" in html

    admin = client_for(bkpsdm_admin)
    html = admin.get("/pelatihan/pengesahan/").content.decode()
    assert module.title in html and "Menunggu pengesahan" in html
    # Values changed since the page was opened: nothing confirmed.
    response = admin.post(
        f"/pelatihan/pengesahan/{module.pk}/", {"jp": "2", "mandatory": "1"}, follow=True
    )
    assert "berubah sejak halaman dibuka" in response.content.decode()
    assert not ModuleConfirmation.objects.exists()

    response = admin.post(
        f"/pelatihan/pengesahan/{module.pk}/",
        {"jp": "4", "mandatory": "1", "note": "Sesuai kurikulum."},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    confirmation = ModuleConfirmation.objects.get()
    assert (confirmation.confirmed_by, confirmation.jp, confirmation.mandatory) == (
        bkpsdm_admin,
        4,
        True,
    )
    certificate.refresh_from_db()
    assert certificate.jp == 4
    html = client_for(employee).get(f"/pelatihan/progres/{module.pk}/").content.decode()
    assert "belum disahkan Admin BKPSDM" not in html
    assert PointEntry.objects.get(user=employee).points == 50
    # The mandatory module now gates the first report of those who did not complete it.
    other = UserFactory()
    assert not Certificate.objects.has_completed_mandatory(other)
    assert Certificate.objects.has_completed_mandatory(employee)


def test_a_jp_change_after_confirmation_needs_a_new_one(employee, training_index):
    module = make_module(training_index, lessons=1, jp_hours=2)
    revision = module.get_latest_revision_as_object()
    revision.jp_hours = 6
    revision.save_revision().publish()
    module.refresh_from_db()
    assert module.current_confirmation() is None
    assert complete(employee, module).jp == 0


# --- the new Admin BKPSDM lists cost the same queries whatever the data ------------------------


def _failed_attempts(training_index, people: int, modules: int):
    for _ in range(modules):
        module = make_module(
            training_index, lessons=1, quiz=[single("q", "Benar?", ["Ya*", "Tidak"])]
        )
        for _ in range(people):
            person = UserFactory()
            for lesson in module.lessons():
                services.complete_lesson(user=person, lesson=lesson)
            wrong = {
                q.id: [c.token for c in q.choices if not c.is_correct] for q in module.questions()
            }
            services.submit_quiz(user=person, module=module, answers=wrong, token=uuid.uuid4())


@pytest.mark.parametrize("url", ["/pelatihan/pemantauan/percobaan/", "/pelatihan/pengesahan/"])
def test_admin_lists_query_count_does_not_grow(
    client, bkpsdm_admin, training_index, url, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bkpsdm_admin)
    _failed_attempts(training_index, people=1, modules=1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == HTTPStatus.OK
    _failed_attempts(training_index, people=3, modules=3)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == HTTPStatus.OK


def test_an_admin_who_edited_the_module_cannot_confirm_it(bkpsdm_admin, training_index):
    from django.core.exceptions import ValidationError

    module = make_module(training_index, lessons=1, confirmed=False)
    module.get_latest_revision_as_object().save_revision(user=bkpsdm_admin)
    with pytest.raises(ValidationError, match="Admin BKPSDM lain"):
        services.confirm_module(module=module, by=bkpsdm_admin)
    assert not ModuleConfirmation.objects.exists()
