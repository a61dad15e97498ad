import hashlib
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from leaderboard.models import Badge, BadgeAward, KioskLink, PointEntry, Recognition
from leaderboard.services import award_points, give_recognition
from portal.beranda import beranda_cards, menu_items
from portal.models import OrgUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def give(giver, receiver, points=10, value="kompeten", message="Kerja bagus", token=None):
    return give_recognition(
        giver=giver, receiver=receiver, value=value, message=message, points=points, token=token
    )


def form_data(person, **extra):
    data = {
        "receiver": person.pk,
        "value": "berorientasi_pelayanan",
        "points": "10",
        "message": "Pelayanan prima",
        "token": "tok-1",
    }
    data.update(extra)
    return data


# --- giving ---------------------------------------------------------------------------------


def test_give_form_shows_values_with_their_indicators(client_for, boss, staff):
    response = client_for(boss).get("/papan/beri/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Berorientasi Pelayanan" in html and "Melakukan perbaikan tiada henti" in html
    assert "50 poin" in html


def test_double_submission_gives_one_award(client_for, boss, staff):
    client = client_for(boss)
    first = client.post("/papan/beri/", form_data(staff))
    second = client.post("/papan/beri/", form_data(staff))
    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert Recognition.objects.count() == 1 and PointEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "extra", "error"),
    [
        ("self", {}, "diri sendiri"),
        ("outsider", {}, "di bawah kepemimpinan"),
        ("staff", {"value": "tidak-ada"}, "Pilih salah satu nilai BerAKHLAK."),
        ("staff", {"points": "7"}, "Pilih salah satu tingkat poin yang tersedia."),
        ("staff", {"message": "  "}, "Tulis pesan apresiasi Anda."),
        ("staff", {"receiver": "999999"}, "Pilih pegawai penerima"),
        ("staff", {"points": "50", "message": "Terlalu banyak"}, "Anggaran poin bulan ini"),
    ],
)
def test_bad_input_shows_an_indonesian_error_and_awards_nothing(
    client_for, boss, staff, outsider, settings, who, extra, error
):
    settings.LEADERBOARD_MONTHLY_BUDGET = 40
    receiver = {"self": boss, "outsider": outsider, "staff": staff}[who]
    response = client_for(boss).post("/papan/beri/", form_data(receiver, **extra))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert error in response.content.decode()
    assert not PointEntry.objects.exists() and not Recognition.objects.exists()
    if "message" in extra and extra["message"].strip():
        assert extra["message"] in response.content.decode()  # what they typed is kept


def test_search_lists_only_people_i_may_recognise(client_for, boss, staff, colleague, outsider):
    client = client_for(boss)
    html = client.get("/papan/beri/cari/", {"q": "Uji"}).content.decode()
    assert staff.full_name in html and colleague.full_name in html
    assert boss.full_name not in html
    assert "terima kasih saja" in html  # the colleague gets a thank-you only
    outside = client.get("/papan/beri/cari/", {"q": outsider.full_name}).content.decode()
    assert f'value="{outsider.pk}"' not in outside and "Tidak ada rekan" in outside
    by_nip = client.get("/papan/beri/cari/", {"q": staff.nip[:10]}).content.decode()
    assert staff.full_name in by_nip


def test_employee_without_bawahan_only_thanks(client_for, staff, colleague):
    html = client_for(colleague).get("/papan/beri/").content.decode()
    assert "50 poin" not in html and "Ucapan terima kasih" in html


# --- mine, privacy -------------------------------------------------------------------------


def test_my_recognitions_received_and_given(client_for, boss, staff, komunikasi):
    recognition = give(boss, staff)
    received = client_for(staff).get("/papan/saya/").content.decode()
    assert "Kerja bagus" in received and boss.full_name in received
    assert "/admin/cerita/dari/recognition/" not in received
    given = client_for(boss).get("/papan/saya/?tab=diberikan").content.decode()
    assert staff.full_name in given
    # Tim Komunikasi sees the "story from a recognition" link in the feed
    board = client_for(komunikasi).get("/papan/").content.decode()
    assert f"/admin/cerita/dari/recognition/{recognition.pk}/" in board


def test_opt_out_toggle(client_for, staff):
    client = client_for(staff)
    client.post("/papan/saya/privasi/", {"board_opt_out": "on"})
    staff.refresh_from_db()
    assert staff.board_opt_out
    client.post("/papan/saya/privasi/", {})
    staff.refresh_from_db()
    assert not staff.board_opt_out


# --- the board -----------------------------------------------------------------------------


def test_board_shows_ranking_feed_and_opd_per_capita(client_for, boss, staff, junior, outsider):
    give(boss, staff, points=25)
    give(boss, junior, points=10)
    response = client_for(staff).get("/papan/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert html.index(staff.full_name) < html.index(junior.full_name)
    assert "Dinas Uji Apresiasi" in html  # OPD ranking
    snapshot = client_for(staff).get("/papan/snapshot/").json()
    assert snapshot["seq"] == PointEntry.objects.latest("pk").pk
    rows = snapshot["panels"][0]["rows"]
    assert [r["total"] for r in rows] == [25, 10]
    opd = next(o for o in snapshot["opds"] if o["name"] == "Dinas Uji Apresiasi")
    assert opd["total"] == 35 and opd["headcount"] == 3
    assert opd["per_capita"] == round(35 / 3, 2)


def test_my_rank_shows_even_far_down(client_for, settings, staff):
    settings.LEADERBOARD_TOP_N = 3
    for n in range(5):
        award_points(user=UserFactory(), points=100 + n, reason="module_completed", key=f"k{n}")
    award_points(user=staff, points=1, reason="module_completed", key="mine")
    snapshot = client_for(staff).get("/papan/snapshot/").json()
    panel = snapshot["panels"][0]
    assert len(panel["rows"]) == 3
    assert panel["me"]["rank"] == 6 and panel["me"]["total"] == 1


def test_scopes_opd_and_team(client_for, boss, staff, colleague, outsider, admin):
    give(admin, outsider, points=50)
    give(admin, colleague, points=25)
    give(boss, staff, points=10)
    client = client_for(staff)
    names = lambda scope: [  # noqa: E731
        r["name"]
        for r in client.get(f"/papan/snapshot/?lingkup={scope}").json()["panels"][0]["rows"]
    ]
    assert names("kota") == [outsider.full_name, colleague.full_name, staff.full_name]
    assert names("opd") == [colleague.full_name, staff.full_name]
    assert names("tim") == [staff.full_name]


def test_opted_out_people_are_anonymous_on_board_and_snapshot(client_for, boss, staff, junior):
    staff.board_opt_out = True
    staff.save()
    give(boss, staff, points=25)
    html = client_for(junior).get("/papan/").content.decode()
    assert staff.full_name not in html and "Pegawai anonim" in html
    snapshot = client_for(junior).get("/papan/snapshot/").json()
    assert snapshot["panels"][0]["rows"][0]["name"] == "Pegawai anonim"
    assert snapshot["feed"][0]["receiver"] == "Pegawai anonim"
    assert str(staff.pk) not in [str(r.get("user")) for r in snapshot["panels"][0]["rows"]]
    # they still see themselves
    own = client_for(staff).get("/papan/snapshot/").json()
    assert own["panels"][0]["rows"][0]["name"] == staff.full_name


def _board_queries(client, url):
    client.get(url)  # steady state: site-wide caches (navigation) filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize("url", ["/papan/", "/papan/?musim=semua&lingkup=opd", "/papan/snapshot/"])
def test_board_query_count_does_not_grow_with_users(client_for, boss, staff, bidang, url):
    def add_people(n, start):
        for i in range(n):
            person = UserFactory(org_unit=bidang, atasan=boss)
            award_points(user=person, points=5 + i, reason="module_completed", key=f"q{start + i}")
            give(boss, person, points=5, message=f"m{start + i}") if i % 3 == 0 else None

    client = client_for(staff)
    add_people(3, 0)
    small = _board_queries(client, url)
    add_people(27, 100)
    large = _board_queries(client, url)
    assert small == large
    assert large <= 3  # session (from the database in tests), user with groups, latest seqs


def test_ranking_part_is_a_few_queries(django_assert_max_num_queries, staff, bidang):
    from leaderboard import board

    for i in range(30):
        award_points(
            user=UserFactory(org_unit=bidang), points=i + 1, reason="correction", key=f"r{i}"
        )
    units = OrgUnit.objects.unit_map()
    with django_assert_max_num_queries(3):
        board.ranking_panel(
            season="bulan",
            scope="opd",
            units=units,
            viewer=staff,
            opd_id=units.opd_of(staff.org_unit_id),
            unit_id=staff.org_unit_id,
        )


def test_board_needs_login(client):
    assert client.get("/papan/").status_code == HTTPStatus.FOUND
    assert client.get("/papan/snapshot/").status_code == HTTPStatus.FORBIDDEN


# --- kiosk -----------------------------------------------------------------------------------


def test_admin_creates_and_revokes_a_kiosk_link(client_for, admin, opd, boss, staff):
    client = client_for(admin)
    assert client.get("/papan/layar/kelola/").status_code == HTTPStatus.OK
    client.post("/papan/layar/kelola/", {"org_unit": opd.pk, "label": "Lobi"})
    link = KioskLink.objects.get()
    give(boss, staff, points=25)
    anonymous = client.__class__()
    screen = anonymous.get(f"/papan/layar/?k={link.token}")
    assert screen.status_code == HTTPStatus.OK
    html = screen.content.decode()
    assert staff.full_name in html and 'data-ticket="' in html
    assert "navbar" not in html  # no controls
    snapshot = anonymous.get(f"/papan/snapshot/?k={link.token}").json()
    assert len(snapshot["panels"]) == 3 and snapshot["ticket"]
    client.post(f"/papan/layar/kelola/{link.pk}/cabut/")
    assert anonymous.get(f"/papan/layar/?k={link.token}").status_code == HTTPStatus.FORBIDDEN
    assert anonymous.get(f"/papan/snapshot/?k={link.token}").status_code == HTTPStatus.FORBIDDEN


def test_kiosk_anonymises_opted_out_people(client, admin, opd, boss, staff):
    staff.board_opt_out = True
    staff.save()
    give(boss, staff, points=25)
    link = KioskLink.objects.create(org_unit=opd, created_by=admin)
    html = client.get(f"/papan/layar/?k={link.token}").content.decode()
    assert staff.full_name not in html and "Pegawai anonim" in html


def test_unknown_kiosk_token_is_refused(client):
    assert client.get("/papan/layar/?k=nope").status_code == HTTPStatus.FORBIDDEN
    assert client.get("/papan/layar/").status_code == HTTPStatus.FORBIDDEN


# --- permissions (other people's ids) ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/papan/tinjau/"),
        ("get", "/papan/layar/kelola/"),
        ("post", "/papan/apresiasi/{pk}/cabut/"),
        ("post", "/papan/layar/kelola/{link}/cabut/"),
    ],
)
def test_admin_pages_refuse_everyone_else(client_for, boss, staff, opd, method, url):
    recognition = give(boss, staff)
    link = KioskLink.objects.create(org_unit=opd)
    client = client_for(boss)
    response = getattr(client, method)(url.format(pk=recognition.pk, link=link.pk), {"reason": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Recognition.objects.get(pk=recognition.pk).is_revoked
    assert KioskLink.objects.usable().filter(pk=link.pk).exists()


def test_admin_reviews_and_revokes(client_for, admin, boss, staff):
    recognition = give(boss, staff, points=25)
    client = client_for(admin)
    assert staff.full_name in client.get("/papan/tinjau/").content.decode()
    client.post(f"/papan/apresiasi/{recognition.pk}/cabut/", {"reason": "Ganda"})
    again = client.post(
        f"/papan/apresiasi/{recognition.pk}/cabut/", {"reason": "Ganda"}, follow=True
    )
    assert "sudah dicabut" in again.content.decode()
    assert PointEntry.objects.filter(reason="recognition_revoked").count() == 1


# --- Open Badges -----------------------------------------------------------------------------


def test_open_badges_hosted_assertion(client, boss, staff):
    badge = Badge.objects.create(
        name="Pertama",
        slug="pertama",
        description="Apresiasi pertama",
        rule="recognitions_received",
    )
    give(boss, staff)
    award = BadgeAward.objects.get(badge=badge, user=staff)
    assertion = client.get(f"/papan/lencana/{award.uid}.json").json()
    assert assertion["type"] == "Assertion"
    assert assertion["verification"] == {"type": "hosted"}
    recipient = assertion["recipient"]
    expected = hashlib.sha256((staff.email.lower() + recipient["salt"]).encode()).hexdigest()
    assert recipient["hashed"] is True and recipient["identity"] == f"sha256${expected}"
    assert staff.email not in str(assertion)
    badge_class = client.get(assertion["badge"].replace("http://testserver", "")).json()
    assert badge_class["type"] == "BadgeClass" and badge_class["name"] == "Pertama"
    issuer = client.get(badge_class["issuer"].replace("http://testserver", "")).json()
    assert issuer["type"] == "Issuer"
    assert client.get(badge_class["image"].replace("http://testserver", "")).status_code == 200
    page = client.get(f"/papan/lencana/{award.uid}/").content.decode()
    assert "Lencana sah" in page and staff.full_name in page


def test_unknown_assertion_is_404(client):
    assert client.get("/papan/lencana/00000000-0000-0000-0000-000000000000.json").status_code == 404


# --- contracts with portal and cms -----------------------------------------------------------


def test_beranda_card_and_menu_item(rf, staff, boss):
    give(boss, staff, points=25)
    request = rf.get("/beranda/")
    request.user = staff
    card = next(
        c for c in beranda_cards(request) if c.template == "leaderboard/cards/apresiasi.html"
    )
    assert card.context["standing"]["month"] == 25
    assert any(item.url == "/papan/" for item in menu_items(request))


def test_public_recognitions_tag_anonymises_opted_out(boss, staff, junior, admin):
    junior.board_opt_out = True
    junior.save()
    give(boss, staff, message="Pesan publik satu")
    give(boss, junior, message="Pesan publik dua")
    revoked = give(boss, staff, message="Pesan dicabut")
    from leaderboard.services import revoke_recognition

    revoke_recognition(recognition=revoked, by=admin, reason="x")
    html = Template("{% load leaderboard_tags %}{% public_recognitions limit=6 %}").render(
        Context()
    )
    assert staff.full_name in html and "Pesan publik dua" in html
    assert junior.full_name not in html and "Pegawai anonim" in html
    assert "Pesan dicabut" not in html


def _hook(name):
    return hooks.get_hooks(name)[0]


def test_story_prefill_hook_for_tim_komunikasi_only(boss, staff, komunikasi, admin):
    recognition = give(boss, staff, value="adaptif", message="Inovasi layanan")
    prefill = _hook("cms_story_prefill")
    data = prefill("recognition", recognition.pk, komunikasi)
    assert data["featured_user_ids"] == [staff.pk]
    assert data["berakhlak_values"] == ["adaptif"]
    assert data["org_unit_id"] == staff.org_unit.perangkat_daerah.pk
    assert data["intro"] == "Inovasi layanan" and staff.full_name in data["title"]
    assert prefill("recognition", recognition.pk, boss) is None
    assert prefill("training", recognition.pk, komunikasi) is None
    assert prefill("recognition", 999999, komunikasi) is None
    from leaderboard.services import revoke_recognition

    revoke_recognition(recognition=recognition, by=admin, reason="x")
    assert prefill("recognition", recognition.pk, komunikasi) is None


def test_story_created_hook_records_the_page(boss, staff):
    from cms.models import StoryIndexPage, SuccessStoryPage

    recognition = give(boss, staff)
    index = StoryIndexPage.objects.first()
    page = index.add_child(instance=SuccessStoryPage(title="Cerita", intro="Pengantar", live=False))
    _hook("cms_story_created")("recognition", recognition.pk, page)
    recognition.refresh_from_db()
    assert recognition.story == page
    assert list(page.recognitions.all()) == [recognition]


def test_html_has_no_inline_scripts(client_for, staff):
    html = client_for(staff).get("/papan/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_badges_are_edited_in_the_wagtail_admin(client_for, admin):
    from django.contrib.auth.models import Permission

    admin.is_superuser = True
    admin.save()
    Badge.objects.create(name="Pertama", slug="pertama", description="d", rule="total_points")
    client = client_for(admin)
    listing = client.get("/admin/snippets/leaderboard/badge/")
    assert listing.status_code == HTTPStatus.OK and "Pertama" in listing.content.decode()
    response = client.post(
        "/admin/snippets/leaderboard/badge/add/",
        {
            "name": "Rajin",
            "slug": "rajin",
            "description": "Tiga modul",
            "criteria": "",
            "icon": "book",
            "rule": "reason_count",
            "reason": "",
            "threshold": "3",
            "active": "on",
        },
    )
    assert response.status_code == HTTPStatus.OK  # the form comes back with the rule error
    assert "memerlukan alasan entri" in response.content.decode()
    assert not Badge.objects.filter(slug="rajin").exists()
    assert Permission.objects.filter(codename="add_badge").exists()


def test_board_in_english(client_for, staff):
    client = client_for(staff)
    response = client.get("/papan/", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    html = client.get("/papan/").content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Recognition Board" in html and "Give Recognition" in html
