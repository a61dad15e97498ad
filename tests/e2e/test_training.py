import re
import uuid

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.demo import demo_user, seed_people
from tests.e2e.conftest import enter_totp, login, screenshot
from training.demo import SOSIALISASI_SLUG, seed_training_demo
from training.models import TrainingModulePage


@pytest.fixture
def demo_training(transactional_db):
    seed_people()
    return seed_training_demo()


def test_demo_employee_completes_the_socialisation_module_on_a_phone(
    new_page, demo_training, tmp_path
):
    module = TrainingModulePage.objects.get(slug=SOSIALISASI_SLUG)
    lessons = list(module.lessons())
    page = new_page(phone=True)
    login(page, "pegawai@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.get_by_text("JP tahun ini: 0 dari 20")).to_be_visible()

    page.goto("/pelatihan/")
    card = page.locator(".module-card", has_text=module.title)
    expect(card.get_by_text("Belum dimulai")).to_be_visible()  # loaded by htmx
    screenshot(page, "training-catalogue-phone")
    card.get_by_role("link", name=module.title).click()
    expect(
        page.get_by_text(
            f"0 dari {len(lessons) + 1} langkah selesai (0 dari {len(lessons)} pelajaran"
        )
    ).to_be_visible()
    screenshot(page, "training-module-phone")

    # A locked lesson says so, and nothing is lost.
    page.goto(lessons[2].url)
    expect(page.get_by_role("heading", name="Pelajaran ini masih terkunci")).to_be_visible()
    page.get_by_role("link", name=f"Lanjutkan: {lessons[0].title}").click()

    expect(page.get_by_role("heading", name=lessons[0].title)).to_be_visible()
    screenshot(page, "training-lesson-phone")
    for lesson in lessons:
        expect(page.get_by_role("heading", name=lesson.title, exact=True)).to_be_visible()
        page.get_by_role("button", name=re.compile(r"^Tandai selesai")).click()

    expect(page.get_by_role("heading", name=f"Kuis: {module.title}")).to_be_visible()
    expect(page.get_by_text("Kuis sudah terbuka untuk Anda")).to_be_visible()
    # Submitting with an unanswered question keeps the answers and counts nothing.
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Pertanyaan ini belum dijawab.").first).to_be_visible()
    for question in module.questions():
        for token in question.correct_tokens:
            page.locator(f'input[value="{token}"]').check()
    screenshot(page, "training-quiz-phone")
    page.get_by_role("button", name="Kirim jawaban").click()

    expect(page.get_by_role("heading", name="Selamat, Anda lulus!")).to_be_visible()
    expect(page.get_by_text("Penjelasan:").first).to_be_visible()
    screenshot(page, "training-quiz-result-phone")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sertifikat-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = PdfReader(str(path)).pages[0].extract_text()
    employee = demo_user("pegawai")
    assert employee.full_name in text and module.title in text and "4 JP" in text

    page.get_by_role("link", name="Halaman verifikasi sertifikat").click()
    expect(page.get_by_text("Sertifikat sah")).to_be_visible()
    expect(page.get_by_text(employee.full_name, exact=True)).to_be_visible()
    screenshot(page, "training-certificate-check-phone")

    page.goto("/beranda/")
    expect(page.get_by_text("JP tahun ini: 4 dari 20")).to_be_visible()
    screenshot(page, "training-beranda-phone")


def test_catalogue_module_and_certificate_pages_on_a_desktop(new_page, demo_training):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        generate_totp_secret,
    )

    from training import services

    module = TrainingModulePage.objects.get(slug=SOSIALISASI_SLUG)
    employee = demo_user("pegawai")
    for lesson in list(module.lessons())[:2]:
        services.complete_lesson(user=employee, lesson=lesson)
    page = new_page()
    login(page, "pegawai@demo.local", "portal-demo")
    page.goto("/pelatihan/")
    expect(page.locator(f"#modul-status-{module.pk} progress")).to_be_visible()
    screenshot(page, "training-catalogue-desktop")
    page.goto(module.url)
    # The percentage and the words count the same steps: 5 lessons and the quiz.
    expect(page.get_by_text("2 dari 6 langkah selesai (2 dari 5 pelajaran")).to_be_visible()
    expect(page.locator("#progres-modul .training-progress-wrap")).to_contain_text("33%")
    screenshot(page, "training-module-desktop")
    page.goto(list(module.lessons())[1].url)
    screenshot(page, "training-lesson-desktop")

    # A failed attempt on a desktop: explanations shown, the key kept back, attempts left.
    for lesson in module.lessons():
        services.complete_lesson(user=employee, lesson=lesson)
    page.goto(f"/pelatihan/kuis/{module.pk}/")
    for n, question in enumerate(module.questions()):
        choices = [c for c in question.choices if c.is_correct == (n % 2 == 0)]
        page.locator(f'input[value="{choices[0].token}"]').check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Belum lulus")).to_be_visible()
    expect(page.get_by_text("Sisa 2 percobaan.")).to_be_visible()
    expect(page.locator(".review-correct")).to_have_count(0)
    screenshot(page, "training-quiz-result-desktop")

    colleague = demo_user("fajar")
    for lesson in module.lessons():
        services.complete_lesson(user=colleague, lesson=lesson)
    answers = {q.id: sorted(q.correct_tokens) for q in module.questions()}
    services.submit_quiz(user=colleague, module=module, answers=answers, token=uuid.uuid4())
    certificate = colleague.certificates.get()
    page.goto(f"/sertifikat/{certificate.code}/")
    expect(page.get_by_text("Sertifikat sah")).to_be_visible()
    expect(page.get_by_text(colleague.nip[:8])).to_have_count(0)  # not the owner: no NIP
    screenshot(page, "training-certificate-check-desktop")

    page.goto("/sertifikat/TIDAKADA2345ABCD/")
    expect(page.get_by_role("heading", name="Sertifikat tidak dikenal")).to_be_visible()
    screenshot(page, "training-certificate-unknown-desktop")

    secret = generate_totp_secret()
    TOTP.activate(demo_user("bkpsdm"), secret)
    admin_page = new_page()
    login(admin_page, "bkpsdm@demo.local", "portal-demo")
    enter_totp(admin_page, secret)
    expect(admin_page).to_have_url(re.compile(r"/beranda/$"))
    admin_page.goto("/pelatihan/pemantauan/")
    expect(admin_page.get_by_role("heading", name="Pemantauan pelatihan")).to_be_visible()
    expect(admin_page.locator("#grafik-pelatihan")).to_be_visible()
    screenshot(admin_page, "training-oversight-desktop")
