import re

import pytest
from playwright.sync_api import expect

from portal.demo import seed_people
from tests.e2e.conftest import login, screenshot


@pytest.fixture
def demo_people(transactional_db):
    return seed_people()


def test_demo_employee_logs_in_and_sees_beranda_in_indonesian_then_english(new_page, demo_people):
    page = new_page(phone=True)
    login(page, "pegawai@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Dimas Pratama, S.Kom.")).to_be_visible()
    expect(page.get_by_text("Selamat datang,")).to_be_visible()
    expect(page.get_by_text("Rina Marlina, S.Kom., M.T.")).to_be_visible()
    screenshot(page, "foundation-beranda-id-phone")

    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Welcome,")).to_be_visible()
    screenshot(page, "foundation-beranda-en-phone")
