"""The public page cache (portal.page_cache): hits, what is never shared, and invalidation.

Every invalidation test warms the cache (the second visit is a hit), changes one thing a
page shows, and expects the next visit to show it: without the matching signal the next
visit would be a stale hit.
"""

import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, Site

from cms.models import (
    ConsentRequest,
    RelatedStory,
    SiteChrome,
    StandardPage,
    SuccessStoryPage,
)
from cms.services import answer_consent
from portal import page_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def is_hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def warm(client, url: str) -> str:
    """Visit twice; the second visit must come from the cache."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert is_hit(response)
    return response.content.decode()


def fresh(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert not is_hit(response)
    return response.content.decode()


def ask_consent(story, author) -> list[ConsentRequest]:
    """Start the story's workflow: one pending consent request per featured employee."""
    story.get_workflow().start(story, author)
    return list(ConsentRequest.objects.filter(page=story).order_by("pk"))


# --- hits ------------------------------------------------------------------------------------


def test_a_second_anonymous_visit_is_a_hit_without_queries(
    client, make_story, django_assert_num_queries
):
    story = make_story("Cerita tersimpan", live=True)
    first = client.get(story.url)
    assert first.status_code == HTTPStatus.OK
    assert not is_hit(first)
    with django_assert_num_queries(0):
        second = client.get(story.url)
    assert is_hit(second)
    assert "Cerita tersimpan" in second.content.decode()


def test_the_listing_and_home_page_are_cached_too(client, make_story, home):
    make_story("Cerita di daftar", live=True)
    for url in ("/", "/cerita/", "/cerita/?page=1"):
        assert "Cerita di daftar" in warm(client, url)


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(make_story):
    story = make_story("Cerita token", live=True)
    first, second = Client(), Client()
    first.get(story.url)
    response = second.get(story.url)
    assert is_hit(response)
    content = response.content.decode()
    assert page_cache.CSRF_PLACEHOLDER not in content
    secret = response.cookies["csrftoken"].value  # the hit gave this visitor a cookie
    assert secret != first.cookies["csrftoken"].value
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    tokens += re.findall(r'"X-CSRFToken": "([^"]+)"', content)
    assert len(tokens) >= 2
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_a_hit_has_the_same_security_headers_as_a_rendered_page(client, make_story):
    story = make_story("Cerita header", live=True)
    rendered = client.get(story.url)
    hit = client.get(story.url)
    assert is_hit(hit)
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Content-Type",
        "Content-Language",
    ):
        assert hit[header] == rendered[header], header
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in hit["Vary"].split(",")}


def test_each_language_has_its_own_cached_page(client, make_story):
    story = make_story("Cerita bahasa", live=True)
    assert '<html lang="id">' in warm(client, story.url)
    english = Client()
    english.cookies["django_language"] = "en"
    assert '<html lang="en">' in fresh(english, story.url)
    assert '<html lang="en">' in warm(english, story.url)


# --- never shared ----------------------------------------------------------------------------


def test_logged_in_visitors_neither_get_nor_fill_the_anonymous_cache(client, make_story, employee):
    story = make_story("Cerita pribadi", live=True)
    logout = reverse("account_logout")
    warm(client, story.url)
    member = Client()
    member.force_login(employee)
    response = member.get(story.url)
    assert not is_hit(response)
    assert logout in response.content.decode()

    cache.clear()
    member.get(story.url)
    member.get(story.url)
    content = fresh(client, story.url)  # the member's visits stored nothing
    assert logout not in content
    assert employee.get_short_name() not in content


def test_drafts_and_previews_never_reach_the_anonymous_cache(client, make_story, komunikasi):
    story = make_story("Judul terbit", live=True)
    warm(client, story.url)
    story.title = "Judul draf"
    story.save_revision(user=komunikasi)
    editor = Client()
    editor.force_login(komunikasi)
    draft = editor.get(reverse("wagtailadmin_pages:view_draft", args=[story.pk]))
    assert draft.status_code == HTTPStatus.OK
    assert "Judul draf" in draft.content.decode()
    for _ in range(2):
        content = client.get(story.url).content.decode()
        assert "Judul terbit" in content
        assert "Judul draf" not in content


@pytest.mark.parametrize(
    "query, extra",
    [
        ("?q=cerita", {}),  # search terms and unknown parameters (cache busters)
        ("?utm_source=x", {}),
        ("", {"HTTP_HX_REQUEST": "true"}),
        ("", {"HTTP_COOKIE": "sessionid=abc"}),
        ("", {"HTTP_COOKIE": "messages=abc"}),
    ],
)
def test_requests_that_may_be_personal_are_never_cached(client, make_story, query, extra):
    story = make_story("Cerita pribadi", live=True)
    for _ in range(2):
        response = client.get(story.url + query, **extra)
        assert response.status_code == HTTPStatus.OK
        assert not is_hit(response)


def test_a_page_with_a_csp_nonce_is_never_stored(client, make_story, monkeypatch):
    story = make_story("Cerita nonce", live=True)
    original = SuccessStoryPage.get_context

    def get_context(self, request, *args, **kwargs):
        str(request.csp_nonce)  # as a template with an inline script would
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(SuccessStoryPage, "get_context", get_context)
    client.get(story.url)
    fresh(client, story.url)  # a nonce is per response: a shared body would carry a stale one


def test_the_cache_can_be_switched_off(client, make_story, settings):
    settings.CMS_PAGE_CACHE_SECONDS = 0
    story = make_story("Cerita tanpa cache", live=True)
    client.get(story.url)
    fresh(client, story.url)


def test_a_page_rendered_across_a_change_is_not_kept(client, make_story, monkeypatch):
    story = make_story("Cerita balapan", live=True)
    original = SuccessStoryPage.get_context

    def get_context(self, request, *args, **kwargs):
        page_cache.bump_version()  # a change commits while this page renders
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(SuccessStoryPage, "get_context", get_context)
    client.get(story.url)
    monkeypatch.undo()
    fresh(client, story.url)


def test_pages_and_publishing_work_while_the_cache_is_down(client, make_story, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(page_cache, "cache", Down())
    story = make_story("Cerita tanpa cache", live=True)  # publishing bumps: fails quietly
    for _ in range(2):
        assert "Cerita tanpa cache" in fresh(client, story.url)


# --- invalidation ----------------------------------------------------------------------------


def test_publishing_a_new_revision_shows_it(client, make_story):
    story = make_story("Judul lama", live=True)
    warm(client, story.url)
    story.title = "Judul baru"
    story.save_revision().publish()
    assert "Judul baru" in fresh(client, story.url)


def test_unpublishing_and_deleting_take_the_page_away(client, make_story):
    gone = make_story("Cerita dicabut", live=True, slug="dicabut")
    deleted = make_story("Cerita dihapus", live=True, slug="dihapus")
    for story in (gone, deleted):
        warm(client, story.url)
    url = deleted.url
    gone.unpublish()
    deleted.delete()
    assert client.get(gone.url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert "Cerita dicabut" not in fresh(client, "/cerita/")


def test_a_slug_change_or_a_move_retires_the_old_address(client, make_story, home):
    story = make_story("Cerita pindah", live=True, slug="lama")
    old = story.url
    warm(client, old)
    story.slug = "baru"
    story.save_revision().publish()
    assert client.get(old).status_code != HTTPStatus.OK
    assert "Cerita pindah" in fresh(client, "/cerita/baru/")

    first = home.add_child(instance=StandardPage(title="Bagian A", slug="bagian-a"))
    second = home.add_child(instance=StandardPage(title="Bagian B", slug="bagian-b"))
    guide = first.add_child(instance=StandardPage(title="Panduan", slug="panduan-uji"))
    warm(client, "/bagian-a/panduan-uji/")
    guide.move(second, pos="last-child")
    assert client.get("/bagian-a/panduan-uji/").status_code != HTTPStatus.OK
    assert "Panduan" in fresh(client, "/bagian-b/panduan-uji/")


def test_site_settings_show_at_once(client, make_story):
    story = make_story("Cerita kaki", live=True)
    warm(client, story.url)
    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.footer_text = "Kaki halaman baru"
    chrome.nav_links = [("link", {"label": "Tautan Baru", "url": "/tautan-baru/"})]
    chrome.save()
    content = fresh(client, story.url)
    assert "Kaki halaman baru" in content
    assert "Tautan Baru" in content


def test_a_consent_answer_shows_the_employee_and_their_changes_show_too(
    client, make_story, komunikasi, featured
):
    story = make_story("Cerita persetujuan", people=[featured], live=True)
    (request,) = ask_consent(story, komunikasi)
    assert featured.full_name not in warm(client, story.url)
    answer_consent(consent_request=request, user=featured, approve=True)
    assert featured.full_name in fresh(client, story.url)

    warm(client, story.url)
    featured.full_name = "Nama Baru Pegawai"
    featured.save()
    assert "Nama Baru Pegawai" in fresh(client, story.url)

    warm(client, story.url)
    featured.org_unit.name = "Unit Bernama Baru"
    featured.org_unit.save()
    assert "Unit Bernama Baru" in fresh(client, story.url)

    warm(client, story.url)
    ConsentRequest.objects.get(pk=request.pk).delete()
    assert "Nama Baru Pegawai" not in fresh(client, story.url)


def test_a_login_does_not_empty_the_cache(client, make_story, employee):
    story = make_story("Cerita tetap", live=True)
    warm(client, story.url)
    Client().force_login(employee)  # saves last_login only
    assert is_hit(client.get(story.url))


def test_a_recognition_linked_to_the_story_shows(client, make_story, employee, supervisor):
    from leaderboard.models import Recognition

    story = make_story("Cerita apresiasi", live=True)
    assert "Berawal dari apresiasi" not in warm(client, story.url)
    Recognition.objects.create(
        giver=supervisor,
        receiver=employee,
        value="kolaboratif",
        message="Terima kasih",
        season="2026-11",
        key="uji-cerita",
        story=story,
    )
    assert "Berawal dari apresiasi" in fresh(client, story.url)


def test_a_deleted_hero_image_leaves_the_page(client, make_story):
    image = get_image_model().objects.create(title="Gambar", file=get_test_image_file("h.png"))
    story = make_story("Cerita bergambar", live=True, hero_image=image)
    assert "<figure" in warm(client, story.url)
    image.delete()
    assert "<figure" not in fresh(client, story.url)


def test_related_stories_follow_their_own_changes(client, make_story):
    other = make_story("Cerita lain", live=True, slug="lain")
    story = make_story("Cerita utama", live=True, slug="utama")
    story.related_story_links.add(RelatedStory(story=other))
    story.save_revision().publish()
    assert "Cerita lain" in warm(client, story.url)
    other.title = "Cerita lain berganti"
    other.save_revision().publish()
    assert "Cerita lain berganti" in fresh(client, story.url)
    warm(client, story.url)
    other.unpublish()
    assert "Cerita lain berganti" not in fresh(client, story.url)


def test_a_new_view_restriction_stops_anonymous_visitors(client, make_story):
    story = make_story("Cerita tertutup", live=True)
    warm(client, story.url)
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(story.url).status_code == HTTPStatus.FOUND


# --- logged-in visitors: the article's fragment cache ---------------------------------------------


def test_logged_in_visitors_get_the_cached_article_and_its_changes(
    client_for, make_story, komunikasi, featured, employee
):
    story = make_story("Cerita anggota", people=[featured], live=True)
    (request,) = ask_consent(story, komunikasi)
    member = client_for(employee)

    def count(url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = member.get(url)
        assert not is_hit(response)
        return len(queries), response.content.decode()

    cold, content = count(story.url)
    assert featured.full_name not in content
    warm_count, _ = count(story.url)
    assert warm_count < cold  # the article came from the fragment cache
    answer_consent(consent_request=request, user=featured, approve=True)
    assert featured.full_name in count(story.url)[1]


# --- the uncached page -----------------------------------------------------------------------


def test_uncached_story_queries_do_not_grow_with_people_and_related_stories(
    client, make_story, komunikasi, settings
):
    settings.CMS_PAGE_CACHE_SECONDS = 0
    Image = get_image_model()

    def story_with(n: int) -> SuccessStoryPage:
        people = [UserFactory() for _ in range(n)]
        related = [
            make_story(
                f"Terkait {n}-{i}",
                live=True,
                slug=f"terkait-{n}-{i}",
                hero_image=Image.objects.create(
                    title="g", file=get_test_image_file(f"t{n}{i}.png")
                ),
            )
            for i in range(n)
        ]
        for i, page in enumerate(related):
            page.tags.add(f"program-{i}")
            page.save_revision().publish()
        story = make_story(
            f"Cerita {n}", people=people, live=True, consented=True, slug=f"cerita-{n}"
        )
        for page in related:
            story.related_story_links.add(RelatedStory(story=page))
        story.save_revision().publish()
        return story

    def queries(story: SuccessStoryPage) -> int:
        client.get(story.url)  # renditions and Wagtail's site cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(story.url)
        assert response.status_code == HTTPStatus.OK
        assert "Terkait" in response.content.decode()
        return len(captured)

    small, large = story_with(1), story_with(3)
    assert queries(small) == queries(large)
    assert queries(large) <= 16
