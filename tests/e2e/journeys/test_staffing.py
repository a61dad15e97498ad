"""Admin BKPSDM records a Plt and a transfer (issue 17), walked at a phone's and a laptop's
width: two-factor sign-in, the "Kelola" menu to "Kepegawaian", a Plt refused over a filled head
post (the message shown, what was typed kept), then a Plt over the vacant one, then a transfer
on an SK found by name. A small organisation instead of the whole demo (faster)."""

import datetime as dt
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from portal import authority
from portal.models import ADMIN_BKPSDM, OrgUnit
from portal.staffing import ActingAppointment
from tests.e2e.conftest import enter_totp
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from tests.helpers import ensure_base_data
from tests.portal.staffing_world import post

from .conftest import WIDTHS
from .harness import open_menu, sign_in

ROLE = "staffing"


@pytest.fixture
def demo(transactional_db):
    """Overrides the journeys' whole demo: two OPDs, a bidang whose head post is vacant."""
    ensure_base_data()
    dinas = OrgUnitFactory(name="Dinas Uji Mutasi")
    bidang = OrgUnitFactory(name="Bidang Uji Layanan", kind=OrgUnit.Kind.BIDANG, parent=dinas)
    badan = OrgUnitFactory(name="Badan Uji Perencanaan", kind=OrgUnit.Kind.BADAN)
    people = {
        key: UserFactory(org_unit=None, full_name=name)
        for key, name in [
            ("kadis", "Kadis Mutasi"),
            ("kaban", "Kaban Perencanaan"),
            ("analis", "Analis Calon Plt"),
            ("staff", "Rina Pindah Tugas"),
        ]
    }
    post(people["kadis"], dinas, None, head=True, jenis="jpt")
    post(people["kaban"], badan, None, head=True, jenis="jpt")
    post(people["analis"], bidang, people["kadis"], jenis="fungsional")
    post(people["staff"], bidang, people["kadis"])
    admin = UserFactory(org_unit=None, full_name="Yudi Admin", groups=[ADMIN_BKPSDM])
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    return {"admin": admin, "secret": secret, "bidang": bidang, "badan": badan, **people}


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_bkpsdm_records_a_plt_and_a_transfer(journey, demo, width):
    page = journey.new_page()
    today = timezone.localdate()

    with journey.step("masuk"):
        sign_in(page, demo["admin"].nip, PASSWORD)
        enter_totp(page, demo["secret"])
        expect(page).to_have_url(re.compile(r"/beranda/$"))

    with journey.step("menu-kelola"):
        open_menu(page)
        page.get_by_role("button", name="Kelola").click()
        page.get_by_role("link", name="Kepegawaian").click()
        expect(page.get_by_role("heading", name="Riwayat jabatan pegawai")).to_be_visible()

    with journey.step("plt-ditolak", expect_status=(400,)):
        page.get_by_role("link", name="Plt/Plh").click()
        page.get_by_label("NIP pejabat Plt/Plh").fill(demo["analis"].nip)
        page.get_by_label("Pelaksana Tugas (Plt)").check()
        page.get_by_label("Unit kerja").select_option(label="Dinas Uji Mutasi")
        page.get_by_label("Mulai").fill(today.isoformat())
        page.get_by_label("Sampai").fill((today + dt.timedelta(days=90)).isoformat())
        page.get_by_label("Nomor SK").fill("800/12-BKPSDM/2026")
        page.get_by_role("button", name="Simpan Plt/Plh").click()
        expect(page.get_by_text("Plt hanya untuk jabatan yang kosong")).to_be_visible()
        expect(page.get_by_label("Nomor SK")).to_have_value("800/12-BKPSDM/2026")
        journey.check(not ActingAppointment.objects.exists(), "a refused Plt was saved")

    with journey.step("plt-dicatat"):
        page.get_by_label("Unit kerja").select_option(label="Bidang Uji Layanan")
        page.get_by_role("button", name="Simpan Plt/Plh").click()
        expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
            "dicatat untuk Analis Calon Plt"
        )
        current = page.locator("section", has=page.get_by_role("heading", name="Sedang berlaku"))
        expect(current.get_by_text("Analis Calon Plt")).to_be_visible()
        acting = ActingAppointment.objects.get()
        journey.check(
            (acting.kind, acting.org_unit_id) == ("plt", demo["bidang"].pk), f"saved {acting}"
        )

    with journey.step("cari-pegawai"):
        page.get_by_role("link", name="Riwayat jabatan").first.click()
        page.get_by_label("Cari NIP atau nama").fill("Rina")
        page.get_by_role("button", name="Cari").click()
        page.get_by_role("link", name="Rina Pindah Tugas").click()
        expect(page.get_by_role("heading", name="Rina Pindah Tugas")).to_be_visible()

    with journey.step("mutasi-dicatat"):
        form = page.locator("form", has=page.get_by_role("button", name="Simpan penempatan"))
        form.get_by_label("Unit kerja").select_option(label="Badan Uji Perencanaan")
        form.get_by_label("Jabatan", exact=True).fill("Perencana Ahli Pertama")
        form.get_by_label("Jenis jabatan").select_option("fungsional")
        form.get_by_label("NIP atasan langsung").fill(demo["kaban"].display_nip)
        form.get_by_label("Berlaku mulai").fill(today.isoformat())
        form.get_by_label("Nomor SK").fill("821.2/34-BKPSDM/2026")
        form.get_by_role("button", name="Simpan penempatan").click()
        expect(page.get_by_text("Penempatan Rina Pindah Tugas dicatat")).to_be_visible()
        history = page.locator("table")
        expect(history.get_by_text("Badan Uji Perencanaan")).to_be_visible()
        expect(history.get_by_text("821.2/34-BKPSDM/2026")).to_be_visible()
        new = authority.assignment_on(demo["staff"])
        journey.check(
            (new.org_unit_id, new.atasan_id) == (demo["badan"].pk, demo["kaban"].pk),
            f"the transfer saved {new}",
        )

    journey.finish()
