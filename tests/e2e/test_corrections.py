"""A correction on the record, in the browser: Admin BKPSDM corrects last year's annual rating of
the demo employee (refused first without a document), and the employee reads the old and the new
value, the reason and the document in "Riwayat perubahan"."""

import re

import pytest
from playwright.sync_api import expect

from performance.evaluation_demo import last_year
from performance.models import AnnualRating, Skp
from portal.demo import demo_user
from tests.e2e.conftest import enter_totp, login, screenshot, seed_evaluation_world
from tests.e2e.test_accessibility import axe_violations


@pytest.fixture
def demo(transactional_db):
    return seed_evaluation_world()


def test_admin_corrects_a_rating_and_the_employee_reads_it(new_page, demo):
    skp = Skp.objects.get(employee=demo_user("pegawai"), cycle__year=last_year())
    page = new_page()
    login(page, "bkpsdm@demo.local", "portal-demo")
    enter_totp(page, demo)
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.goto(f"/kinerja/evaluasi/skp/{skp.pk}/")
    page.get_by_role("link", name="Koreksi (Admin BKPSDM)").click()
    expect(page).to_have_url(re.compile(rf"/kinerja/admin/koreksi/{skp.pk}/$"))

    form = page.locator(
        "section", has=page.get_by_role("heading", name="Koreksi penilaian tahunan")
    )
    for group in ("Rating hasil kerja", "Rating perilaku kerja"):
        form.get_by_role("group", name=group).get_by_label("Di Atas Ekspektasi").check()
    form.get_by_label("Alasan koreksi").fill("Capaian triwulan IV belum dihitung")
    form.get_by_role("button", name="Simpan koreksi penilaian").click()
    expect(page.get_by_text("Tuliskan nomor atau rujukan dokumen dasar koreksi")).to_be_visible()
    assert AnnualRating.objects.get(skp=skp).predikat == "baik"

    form.get_by_label("Dokumen dasar koreksi").fill("ND 800/45/BKPSDM")
    form.get_by_role("button", name="Simpan koreksi penilaian").click()
    expect(page.get_by_text("Penilaian tahunan dikoreksi")).to_be_visible()
    expect(page.locator("#predikat-tahunan")).to_contain_text("Sangat Baik")
    found = axe_violations(page)
    page.goto(f"/kinerja/admin/riwayat/?q={skp.employee.nip}")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("ND 800/45/BKPSDM")
    found += axe_violations(page)
    screenshot(page, "corrections-audit-desktop")

    employee = new_page(phone=True)
    login(employee, "pegawai@demo.local", "portal-demo")
    employee.goto(f"/kinerja/evaluasi/skp/{skp.pk}/")
    history = employee.locator("#riwayat-perubahan")
    expect(employee.locator("#predikat-tahunan")).to_have_text("Sangat Baik")
    expect(history).to_contain_text("Koreksi Admin BKPSDM")
    expect(history).to_contain_text("predikat Baik")  # the old value stays
    expect(history).to_contain_text("Capaian triwulan IV belum dihitung")
    expect(history).to_contain_text("ND 800/45/BKPSDM")
    expect(history.get_by_role("link", name="Koreksi (Admin BKPSDM)")).to_have_count(0)
    found += axe_violations(employee)
    screenshot(employee, "corrections-history-phone")
    assert not found, "axe serious/critical violations:\n" + "\n".join(found)
