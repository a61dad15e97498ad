"""Issue 18 walked as its roles use it, at 390 px and 1366 px: Admin BKPSDM makes an API token
(scopes, expiry), copies it once, sees when it was last used, revokes it; uploads a register
file in partial mode and reads the good/bad rows report; downloads the e-Kinerja export of an
OPD (XLSX and JSON). A pegawai reaches none of it. Screenshots: test-artifacts/screenshots/
(and SHOTS_DIR when set)."""

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from api.models import ApiToken
from performance.evaluation_demo import last_year
from portal.models import OrgUnit, User
from tests.e2e.conftest import enter_totp, login, screenshot, seed_evaluation_world

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
GOOD_1, GOOD_2, BAD_ATASAN = "199001012015031001", "199002022015031002", "199003032015031003"


@pytest.fixture
def demo(transactional_db):
    return seed_evaluation_world()


def shot(page, name: str) -> None:
    path = screenshot(page, f"city-systems-{name}")
    if os.environ.get("SHOTS_DIR"):
        target = Path(os.environ["SHOTS_DIR"]) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url}: {overflow}px wider than the screen"


def as_admin(new_page, demo, size):
    page = new_page(phone=size == "phone")
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    login(page, "bkpsdm@demo.local", "portal-demo")
    enter_totp(page, demo)
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    return page


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_admin_makes_uses_and_revokes_an_api_token(new_page, demo, size):
    page = as_admin(new_page, demo, size)
    page.goto("/kepegawaian/token-api/")
    expect(page.get_by_role("heading", name="Token API", exact=True)).to_be_visible()
    no_sideways_scroll(page)
    shot(page, f"tokens-empty-{size}")

    # a mistake first: no scope, what was typed stays
    page.get_by_label("Nama klien").fill("SIMPEG Kota")
    page.get_by_role("button", name="Buat token").click()
    expect(page.get_by_text("Kolom ini harus diisi.").first).to_be_visible()
    expect(page.get_by_label("Nama klien")).to_have_value("SIMPEG Kota")
    page.get_by_label("Baca register kepegawaian").check()
    expiry = dt.date.today() + dt.timedelta(days=90)
    page.get_by_label("Berlaku sampai").fill(expiry.isoformat())
    page.get_by_role("button", name="Buat token").click()
    secret_box = page.get_by_test_id("token-secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value().strip()
    assert secret.startswith("pka_")
    expect(page.get_by_role("button", name="Salin token")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, f"tokens-created-{size}")
    token = ApiToken.objects.get(name="SIMPEG Kota")
    assert token.scopes == ["read:register"]
    assert timezone_date(token.expires_at) == expiry

    # the machine client: a context with no session
    client = new_page().request
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/register/units", headers=bearer).status == 200
    refused = client.post("/api/v1/register/sync", headers=bearer, data={"pegawai": []})
    assert refused.status == 403 and "izin" in refused.json()["detail"].lower()

    page.reload()  # the secret is never shown again; last use is
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    row = page.locator("tr", has_text="SIMPEG Kota")
    expect(row).not_to_contain_text("belum pernah")
    used = timezone_date(ApiToken.objects.get(name="SIMPEG Kota").last_used_at)
    expect(row).to_contain_text(f"{used.day} ")
    expect(row).to_contain_text("Aktif")
    no_sideways_scroll(page)
    # everything of the row fits the screen, the revoke button too
    box = row.get_by_role("button", name="Cabut").bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    shot(page, f"tokens-used-{size}")

    row.get_by_role("button", name="Cabut token SIMPEG Kota").click()
    expect(page.get_by_text("Token SIMPEG Kota")).to_be_visible()
    expect(page.locator("tr", has_text="SIMPEG Kota")).to_contain_text("Dicabut")
    no_sideways_scroll(page)
    shot(page, f"tokens-revoked-{size}")
    after = client.get("/api/v1/register/units", headers=bearer)
    assert after.status in (401, 403)
    assert "dicabut" in after.json()["detail"].lower()


def timezone_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_admin_imports_a_register_in_partial_mode(new_page, demo, size, tmp_path):
    unit = OrgUnit.objects.get(name="Dinas Kesehatan").code
    lines = [
        "nip,nama_lengkap,email,jabatan,jenis_jabatan,pangkat_golongan,status,kode_unit,nip_atasan",
        f"{GOOD_1},Asep Saepudin,asep@contoh.go.id,Analis,fungsional,,PNS,{unit},",
        "12345,Salah NIP,salah@contoh.go.id,Staf,pelaksana,,PNS,{unit},".replace("{unit}", unit),
        f"{BAD_ATASAN},Unit Salah,unit@contoh.go.id,Staf,pelaksana,,PNS,unit-tidak-ada,",
        f"{GOOD_2},Euis Komariah,euis@contoh.go.id,Staf,pelaksana,,PNS,{unit},{GOOD_1}",
    ]
    path = tmp_path / "register-dinkes.csv"
    path.write_text("\n".join(lines) + "\n")

    page = as_admin(new_page, demo, size)
    page.goto("/kepegawaian/token-api/")
    page.get_by_role("link", name="Impor register").click()
    expect(page).to_have_url(re.compile(r"/admin/pegawai/impor/$"))
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("heading", name="Impor pegawai", level=1)).to_be_visible()
    refused = page.get_by_role("alert").filter(has_text="tidak ada data yang disimpan")
    expect(refused).to_contain_text("2 kesalahan ditemukan; tidak ada data yang disimpan.")
    expect(refused).to_contain_text("centang “Impor sebagian”")  # what to do next
    no_sideways_scroll(page)
    shot(page, f"import-refused-{size}")
    # the whole file was refused: the page says how to go on, and partial mode is one tick away
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_label("Impor sebagian: simpan baris yang benar, lewati baris yang salah").check()
    page.get_by_role("button", name="Periksa berkas").click()
    report = page.get_by_role("status").filter(has_text="Baris benar")
    expect(report).to_contain_text("Baris benar: 2 pegawai akan disimpan.")
    expect(report).to_contain_text("Baris salah: 2 baris dilewati (tidak disimpan).")
    expect(report).to_contain_text("18 angka")
    expect(report).to_contain_text("unit-tidak-ada")
    no_sideways_scroll(page)
    shot(page, f"import-partial-check-{size}")
    assert not User.objects.filter(nip=GOOD_1).exists()
    page.get_by_role("button", name="Impor sekarang").click()
    expect(page.get_by_text("2 pegawai dibuat, 0 pegawai diperbarui.")).to_be_visible()
    expect(page.get_by_text("Baris benar: 2 pegawai disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="Lihat riwayat perubahan pegawai")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, f"import-partial-done-{size}")
    assert User.objects.get(nip=GOOD_2).atasan.nip == GOOD_1
    assert not User.objects.filter(nip=BAD_ATASAN).exists()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_admin_downloads_the_ekinerja_export_of_an_opd(new_page, demo, size, tmp_path):
    year = last_year()
    page = as_admin(new_page, demo, size)
    page.goto(f"/kinerja/evaluasi/?tahun={year}")
    no_sideways_scroll(page)
    shot(page, f"evaluation-home-{size}")
    badge = page.locator("td .badge").first  # was cut off at 390 px
    box = badge.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"], box
    page.get_by_role("link", name="Dinas Komunikasi dan Informatika").first.click()
    expect(page).to_have_url(re.compile(rf"/kinerja/evaluasi/{year}/unit/\d+/$"))
    no_sideways_scroll(page)
    shot(page, f"evaluation-unit-{size}")
    # the downloads sit below the charts: a link at the top leads there
    page.get_by_role("link", name="Unduh daftar predikat dan SKP lengkap untuk e-Kinerja").click()
    expect(page).to_have_url(re.compile(r"#unduhan$"))
    expect(page.get_by_role("link", name="SKP lengkap untuk e-Kinerja (XLSX)")).to_be_in_viewport()
    with page.expect_download() as info:
        page.get_by_role("link", name="SKP lengkap untuk e-Kinerja (XLSX)").click()
    name = info.value.suggested_filename
    assert re.fullmatch(rf"skp-ekinerja-{year}-[-a-z0-9]+\.xlsx", name), name
    saved = tmp_path / name
    info.value.save_as(saved)
    book = load_workbook(saved)
    assert len(book.sheetnames) >= 2
    headers = [cell for cell in next(book.worksheets[0].iter_rows(values_only=True)) if cell]
    assert "NIP" in headers or any("NIP" in str(cell) for cell in headers)
    with page.expect_download() as info:
        page.get_by_role("link", name="SKP lengkap untuk e-Kinerja (JSON)").click()
    assert info.value.suggested_filename.endswith(".json")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    document = json.loads(saved.read_text())
    assert document


PLACES = [
    "/kepegawaian/token-api/",
    "/admin/pegawai/impor/",
    "/api/v1/register/sync",
]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_pegawai_reaches_none_of_it(new_page, demo, size):
    year = last_year()
    page = new_page(phone=size == "phone")
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    login(page, "pegawai@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    opd = OrgUnit.objects.get(name="Dinas Komunikasi dan Informatika")
    for place in [
        "/kepegawaian/token-api/",
        "/admin/pegawai/impor/",
        f"/kinerja/evaluasi/{year}/skp-ekinerja.xlsx?opd={opd.pk}",
        f"/kinerja/evaluasi/{year}/skp-ekinerja.json?opd={opd.pk}",
    ]:
        response = page.goto(place)
        assert response.status in (403, 404) or "/accounts/login/" in page.url, (
            place,
            response.status,
        )
        assert response.status != 500
    shot(page, f"pegawai-refused-{size}")
    # and a token-less write through the API, with the session only: refused in Indonesian
    answer = page.request.post("/api/v1/register/sync", data={"pegawai": []})
    assert answer.status in (401, 403), answer.status
    assert answer.json()["detail"]
    page.goto("/kepegawaian/token-api/")
    shot(page, f"pegawai-token-page-{size}")
