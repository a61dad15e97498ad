"""An SKP whose employee has no rater in the portal (issue 17), in the browser: it is never
approved by itself; the employee reads why it waits, Admin BKPSDM is told, is refused without
a document, then approves on behalf of the pejabat penilai with one."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from performance import services
from performance.demo import seed_performance_demo
from performance.models import Cycle, Skp, SkpEvent
from portal.demo import demo_user, seed_people
from tests.e2e.conftest import enter_totp, login
from tests.e2e.test_accessibility import axe_violations
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import OrgUnitFactory, UserFactory

PASSWORD = "portal-demo"


@pytest.fixture
def waiting(transactional_db):
    """A head of a new unit with nobody above him and no designated rater; his SKP is a draft
    with one RHK and one indicator."""
    seed_people()
    seed_performance_demo()
    secret = generate_totp_secret()
    TOTP.activate(demo_user("bkpsdm"), secret)
    head = UserFactory(
        org_unit=OrgUnitFactory(name="Badan Uji Tanpa Penilai"),
        jabatan="Kepala Badan",
        jenis_jabatan="jpt",
        full_name="Kepala Tanpa Penilai",
        email="tanpa.penilai@demo.local",
    )
    skp = services.create_skp(employee=head, cycle=Cycle.objects.current())
    rhk = services.add_rhk(
        actor=head, skp=skp, jenis="utama", text="Layanan", parent_rhk=None, perspektif="anggaran"
    )
    services.add_indicator(actor=head, rhk=rhk, aspek="biaya", text="Serapan", target=1, unit="%")
    return skp, secret


def test_the_skp_waits_and_admin_approves_on_behalf_with_a_document(new_page, waiting):
    skp, secret = waiting
    page = new_page(phone=True)
    login(page, "tanpa.penilai@demo.local", FACTORY_PASSWORD)
    page.goto(skp.get_absolute_url())
    page.get_by_role("button", name="Ajukan SKP").click()
    expect(page.get_by_text("Admin BKPSDM sudah diberi tahu")).to_be_visible()
    expect(page.locator("#menunggu-penilai")).to_be_visible()
    assert Skp.objects.get(pk=skp.pk).status == "diajukan"
    found = axe_violations(page)

    admin = new_page()
    login(admin, "bkpsdm@demo.local", PASSWORD)
    enter_totp(admin, secret)
    expect(admin).to_have_url(re.compile(r"/beranda/$"))
    admin.goto(skp.get_absolute_url())
    box = admin.locator("#menunggu-penilai")
    expect(box.get_by_role("link", name="Tunjuk penilai")).to_be_visible()
    field = box.get_by_label("Dasar persetujuan atas nama pejabat penilai (nomor dokumen)")
    field.fill("   ")
    field.evaluate("el => el.removeAttribute('required')")  # the server's own refusal
    box.get_by_role("button", name="Setujui atas nama pejabat penilai").click()
    expect(admin.get_by_text("tulis nomor dokumen")).to_be_visible()
    assert Skp.objects.get(pk=skp.pk).status == "diajukan"
    admin.locator("#menunggu-penilai").get_by_label(re.compile("nomor dokumen")).fill(
        "ND 800/77/BKPSDM"
    )
    admin.get_by_role("button", name="Setujui atas nama pejabat penilai").click()
    expect(admin.get_by_role("alert").filter(has_text="SKP disetujui.")).to_be_visible()
    expect(admin.locator("#menunggu-penilai")).to_have_count(0)
    found += axe_violations(admin)
    assert Skp.objects.get(pk=skp.pk).status == "disetujui"
    event = SkpEvent.objects.get(skp=skp, to_status="disetujui")
    assert "ND 800/77/BKPSDM" in event.note
    assert not found, "axe serious/critical violations:\n" + "\n".join(found)
