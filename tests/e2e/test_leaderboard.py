import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from leaderboard.demo import seed_leaderboard_demo
from leaderboard.models import KioskLink
from portal.demo import OPD, seed_people
from portal.models import OrgUnit
from tests.e2e.conftest import login, screenshot


@pytest.fixture
def demo_board(transactional_db):
    people = seed_people()
    seed_leaderboard_demo()
    link = KioskLink.objects.create(
        org_unit=OrgUnit.objects.get(code=OPD["diskominfo"]), label="Lobi Diskominfo"
    )
    return people, link


def open_board(page):
    page.goto("/papan/")
    expect(page.locator(".board-status")).to_have_text("Langsung")


def test_recognition_shows_live_on_the_employee_board_and_the_kiosk(new_page, demo_board):
    people, link = demo_board
    employee = new_page()
    login(employee, "pegawai@demo.local", "portal-demo")
    open_board(employee)
    employee.evaluate("window.__noReload = true")
    screenshot(employee, "leaderboard-board-desktop")

    kiosk = new_page()
    kiosk.goto(f"/papan/layar/?k={link.token}")
    expect(kiosk.locator(".board-status")).to_have_text("Langsung")
    screenshot(kiosk, "leaderboard-kiosk-desktop")

    supervisor = new_page(phone=True)
    login(supervisor, "atasan@demo.local", "portal-demo")
    supervisor.goto("/papan/beri/")
    supervisor.get_by_label("Cari rekan berdasarkan nama atau NIP").fill("Nenden")
    supervisor.get_by_role("radio", name=re.compile("Nenden Sri Rahayu")).check()
    supervisor.locator("label.value-option", has_text="Kolaboratif").click()
    supervisor.get_by_text("25 poin", exact=True).click()
    supervisor.locator("#id_message").fill("Dasbor statistik kota selesai bersama tiga bidang.")
    screenshot(supervisor, "leaderboard-give-phone")
    supervisor.get_by_role("button", name="Kirim apresiasi").click()
    expect(supervisor).to_have_url(re.compile(r"/papan/saya/"))
    expect(
        supervisor.get_by_text("Apresiasi untuk Nenden Sri Rahayu, S.Si. terkirim.")
    ).to_be_visible()

    # the employee's open board updates in place, without a reload
    feed = employee.locator(".board-feed")
    expect(feed).to_contain_text("Dasbor statistik kota selesai bersama tiga bidang.")
    row = employee.locator(".board-rows .board-row", has_text="Nenden Sri Rahayu")
    expect(row.locator(".board-total")).to_have_text("25")
    assert employee.evaluate("window.__noReload") is True
    screenshot(employee, "leaderboard-board-live-desktop")

    # and so does the kiosk screen
    expect(kiosk.locator(".board-feed")).to_contain_text("Dasbor statistik kota")
    expect(
        kiosk.locator(".board-rows .board-row", has_text="Nenden Sri Rahayu").first
    ).to_be_visible()
    screenshot(kiosk, "leaderboard-kiosk-live-desktop")


def test_board_and_give_form_on_a_phone(new_page, demo_board):
    page = new_page(phone=True)
    login(page, "pegawai@demo.local", "portal-demo")
    open_board(page)
    expect(page.get_by_role("heading", name="Papan Apresiasi")).to_be_visible()
    screenshot(page, "leaderboard-board-phone")
    page.goto("/papan/beri/")
    page.get_by_role("button", name="Kirim apresiasi").click()
    expect(page.get_by_text("Pilih pegawai penerima dari hasil pencarian.")).to_be_visible()
    screenshot(page, "leaderboard-give-errors-phone")
    page.goto("/papan/saya/")
    screenshot(page, "leaderboard-mine-phone")
    page.goto("/beranda/")
    # by its heading: the "Kinerja saya" card lists the recognition's notification too
    card = page.get_by_role("region", name="Apresiasi")
    expect(card).to_contain_text("Penggerak")
    expect(card.get_by_role("link", name="Beri Apresiasi")).to_be_visible()
    screenshot(page, "leaderboard-beranda-phone")


def test_give_form_and_kiosk_on_desktop(new_page, demo_board):
    _people, link = demo_board
    page = new_page()
    login(page, "atasan@demo.local", "portal-demo")
    page.goto("/papan/beri/")
    screenshot(page, "leaderboard-give-desktop")
    kiosk = new_page(phone=True)
    kiosk.goto(f"/papan/layar/?k={link.token}")
    expect(kiosk.locator(".board-status")).to_have_text("Langsung")
    screenshot(kiosk, "leaderboard-kiosk-phone")


def test_an_award_made_in_another_process_reaches_the_board_through_redis(
    new_page, demo_board, settings
):
    """With REDIS_URL the award below is published from this (pytest) process and the page is
    served by the Daphne process: the event crosses processes through Redis."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the in-memory layer lives inside one process")
    from leaderboard.services import award_points
    from portal.demo import demo_user

    page = new_page()
    login(page, "pegawai@demo.local", "portal-demo")
    open_board(page)

    def award():  # in a thread: Playwright keeps an event loop in this one
        from django.db import connections

        try:
            award_points(user=demo_user("yoga"), points=50, reason="module_completed", key="e2e-r")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(award).result()
    row = page.locator(".board-rows .board-row", has_text="Yoga Aditya Ramadhan")
    expect(row.locator(".board-total")).to_have_text("50")
    expect(page.locator(".board-rows .board-row").first).to_contain_text("Yoga Aditya Ramadhan")


def test_a_burst_frame_updates_the_board_event_by_event(new_page, demo_board):
    """The server coalesces a burst into one frame, a JSON array in seq order: the board
    applies each event in turn, and an array that skips a seq still triggers the resync."""
    page = new_page()
    routes = []
    # A mocked /ws/board/: the page's socket opens, and the test speaks for the server.
    page.route_web_socket(re.compile(r".*/ws/board/.*"), lambda ws: routes.append(ws))
    login(page, "pegawai@demo.local", "portal-demo")
    open_board(page)
    board = page.locator("[data-board]")
    seq = int(board.get_attribute("data-seq"))
    season = board.get_attribute("data-season-code")
    snapshots = []
    page.on("request", lambda r: "/papan/snapshot/" in r.url and snapshots.append(r.url))

    def event(n, row, name, total, message):
        return {
            "seq": n,
            "user": None,
            "row": row,
            "name": name,
            "opd": None,
            "opd_name": "",
            "unit": None,
            "unit_name": "Bidang Uji",
            "points": total,
            "reason": "recognition",
            "season": season,
            "season_total": total,
            "all_total": total,
            "level": "Pemula",
            "recognition": {
                "id": 900000 + n,
                "giver": "Atasan Uji",
                "receiver": name,
                "value": "Kompeten",
                "points": total,
                "message": message,
                "revoked": False,
            },
        }

    routes[-1].send(
        json.dumps(
            [
                event(seq + 1, "burst-row-one", "Pegawai Lonjakan Satu", 9000, "Pesan pertama."),
                event(seq + 2, "burst-row-two", "Pegawai Lonjakan Dua", 9500, "Pesan kedua."),
            ]
        )
    )
    expect(board).to_have_attribute("data-seq", str(seq + 2))
    feed = page.locator(".board-feed .feed-item")
    expect(feed.nth(0)).to_contain_text("Pesan kedua.")  # newest first: applied in order
    expect(feed.nth(1)).to_contain_text("Pesan pertama.")
    expect(page.locator(".board-rows .board-row").first).to_contain_text("Pegawai Lonjakan Dua")
    assert snapshots == []  # no gap, no resync

    with page.expect_request(re.compile(r".*/papan/snapshot/")):
        # seq + 3 is missing: the board redraws from the snapshot
        routes[-1].send(
            json.dumps([event(seq + 4, "burst-row-one", "Pegawai Lonjakan Satu", 9900, "")])
        )
