from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.demo import ensure_publication_setup
from cms.models import HomePage, StandardPage, StoryIndexPage, SuccessStoryPage
from tests.helpers import ensure_base_data

pytestmark = pytest.mark.django_db


class StoryPageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_base_data()
        ensure_publication_setup()
        cls.home = HomePage.objects.get()
        cls.index = StoryIndexPage.objects.get()

    def setUp(self):
        user = self.login()  # a superuser: forced through TOTP set-up unless they have it
        Authenticator.objects.create(user=user, type="totp", data={"secret": "x"})

    def test_story_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(StoryIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(StoryIndexPage, {SuccessStoryPage})
        self.assertCanNotCreateAt(StoryIndexPage, StoryIndexPage)

    def test_story_index_is_unique(self):
        # max_count = 1 and one already exists at /cerita/
        self.assertFalse(StoryIndexPage.can_create_at(self.home))

    def test_stories_only_under_the_story_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(SuccessStoryPage, {StoryIndexPage})
        self.assertAllowedSubpageTypes(SuccessStoryPage, set())
        self.assertCanNotCreateAt(HomePage, SuccessStoryPage)
        self.assertCanNotCreateAt(StandardPage, SuccessStoryPage)

    def test_standard_pages_nest_under_home_or_standard_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Tanya jawab",
                    "intro": "Pertanyaan yang sering diajukan",
                    "body": streamfield([("paragraph", rich_text("<p>Jawaban.</p>"))]),
                }
            ),
        )
        self.assertEqual(StandardPage.objects.get(slug="tanya-jawab").live, True)

    def test_the_index_is_at_cerita(self):
        self.assertEqual(self.index.url, "/cerita/")
        self.assertPageIsRoutable(self.index)

    def test_a_story_naming_nobody_cannot_be_published_and_the_form_keeps_the_text(self):
        data = nested_form_data(
            {
                "title": "Cerita tanpa nama",
                "slug": "cerita-tanpa-nama",
                "intro": "Pengantar",
                "body": streamfield([("paragraph", rich_text("<p>Isi</p>"))]),
                "tags": "",
                "featured_employees": inline_formset([]),
                "related_story_links": inline_formset([]),
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(f"/admin/pages/add/cms/successstorypage/{self.index.pk}/", data)
        self.assertEqual(response.status_code, HTTPStatus.OK)
        self.assertContains(response, "tambahkan minimal satu pegawai")
        self.assertContains(response, "Cerita tanpa nama")  # what the editor typed is kept
        self.assertFalse(SuccessStoryPage.objects.filter(slug="cerita-tanpa-nama").exists())


def test_home_page_shows_latest_stories_and_training_call(client, make_story):
    make_story("Cerita terbit", live=True)
    make_story("Cerita draf")
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Cerita terbit" in content
    assert "Cerita draf" not in content
    assert 'href="/pelatihan/"' in content
    assert 'property="og:title"' in content


def test_home_page_without_a_training_catalogue_leaves_its_call_out(client, story_index):
    Page.objects.filter(slug="pelatihan").delete()
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Lihat modul pelatihan" not in content and "Ikuti pelatihan sosialisasi" not in content


def test_home_page_links_to_beranda_when_logged_in(client_for, employee, story_index):
    response = client_for(employee).get("/")
    assert 'href="/beranda/"' in response.content.decode()


def test_story_page_has_open_graph_tags_and_hides_unconsented_people(client, make_story, featured):
    story = make_story("Cerita dengan orang", people=[featured], live=True)
    response = client.get(story.url)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert '<meta property="og:type" content="article">' in content
    assert f'content="http://testserver{story.url}"' in content
    # published here without the workflow: no consent, so the employee is never shown
    assert featured.full_name not in content


def test_site_settings_drive_navigation_and_footer(client, home):
    from wagtail.models import Site

    from cms.models import SiteChrome

    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.nav_links = [("link", {"label": "Panduan Uji", "url": "/panduan-uji/"})]
    chrome.footer_text = "Teks kaki uji"
    chrome.save()
    content = client.get("/").content.decode()
    assert 'href="/panduan-uji/">Panduan Uji</a>' in content
    assert "Teks kaki uji" in content


def test_navigation_and_footer_read_the_site_setting_once_per_request(
    client_for, employee, home, monkeypatch
):
    from wagtail.models import Site

    from cms.models import SiteChrome
    from cms.templatetags import cms_tags

    class CountingCache:
        def __init__(self, real):
            self.real, self.reads = real, 0

        def get(self, key, *args):
            self.reads += key == SiteChrome.CACHE_KEY
            return self.real.get(key, *args)

        def set(self, *args, **kwargs):
            return self.real.set(*args, **kwargs)

    counting = CountingCache(cms_tags.cache)
    monkeypatch.setattr(cms_tags, "cache", counting)
    client = client_for(employee)
    assert "Teks kaki uji" not in client.get("/beranda/").content.decode()
    assert counting.reads == 1  # the navbar and the footer share one read
    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.footer_text = "Teks kaki uji"
    chrome.save()
    assert "Teks kaki uji" in client.get("/beranda/").content.decode()  # the next request
    assert counting.reads == 2
