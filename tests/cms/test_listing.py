"""The public side: /cerita/ filters and pagination, search, feeds."""

import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms import listing, views
from portal.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(make_story):
    dinkes = OrgUnit.objects.get(code="dinas-kesehatan")
    coblong = OrgUnit.objects.get(code="kecamatan-coblong")
    a = make_story(
        "Puskesmas rapi",
        live=True,
        org_unit=dinkes,
        berakhlak_values=["kompeten"],
        body_text="Catatan kunjungan posyandu yang tertata.",
    )
    a.tags.add("Kesehatan Ibu dan Anak")
    a.save_revision().publish()
    b = make_story(
        "Antrean Coblong",
        live=True,
        org_unit=coblong,
        berakhlak_values=["berorientasi_pelayanan", "harmonis"],
    )
    b.tags.add("Bandung Smart City")
    b.save_revision().publish()
    return a, b


def titles(response) -> set[str]:
    return {story.title for story in response.context["stories"]}


def test_index_filters_by_opd_value_and_tag(client, stories):
    assert titles(client.get("/cerita/")) == {"Puskesmas rapi", "Antrean Coblong"}
    assert titles(client.get("/cerita/?opd=dinas-kesehatan")) == {"Puskesmas rapi"}
    assert titles(client.get("/cerita/?nilai=harmonis")) == {"Antrean Coblong"}
    assert titles(client.get("/cerita/?nilai=kompeten")) == {"Puskesmas rapi"}
    assert titles(client.get("/cerita/?tag=bandung-smart-city")) == {"Antrean Coblong"}
    assert titles(client.get("/cerita/?tag=bandung-smart-city&opd=dinas-kesehatan")) == set()


@pytest.mark.parametrize(
    "query",
    ["opd=tidak-ada", "nilai=malas", "tag=%3Cscript%3E", "page=abc", "page=999", "q=" + "x" * 500],
)
def test_unknown_filter_values_are_ignored_never_an_error(client, stories, query):
    response = client.get(f"/cerita/?{query}")
    assert response.status_code == HTTPStatus.OK
    if not query.startswith(("page", "q")):
        assert titles(response) == {"Puskesmas rapi", "Antrean Coblong"}
        assert "tidak dikenal sehingga diabaikan" in response.content.decode()


def test_index_search_finds_a_word_from_the_body(client, stories):
    assert titles(client.get("/cerita/?q=posyandu")) == {"Puskesmas rapi"}


def test_site_search_finds_stories_and_standard_pages_by_body_words(client, stories, home):
    import json

    from cms.models import StandardPage

    guide = StandardPage(
        title="Panduan",
        slug="panduan",
        body=json.dumps([{"type": "paragraph", "value": "<p>Cara mengisi posyandu digital.</p>"}]),
    )
    home.add_child(instance=guide)
    guide.save_revision().publish()
    response = client.get("/cari/?q=posyandu")
    assert response.status_code == HTTPStatus.OK
    found = {page.title for page in response.context["page_obj"]}
    assert found == {"Puskesmas rapi", "Panduan"}
    assert client.get("/cari/?q=").status_code == HTTPStatus.OK


def test_drafts_are_not_listed_or_searchable(client, make_story):
    make_story("Draf rahasia", body_text="kata-rahasia")
    assert titles(client.get("/cerita/")) == set()
    assert list(client.get("/cari/?q=rahasia").context["page_obj"]) == []


def test_index_is_paginated(client, make_story):
    for n in range(11):
        make_story(f"Cerita {n}", live=True, slug=f"cerita-{n}")
    first = client.get("/cerita/")
    assert len(first.context["stories"]) == 9
    assert len(client.get("/cerita/?page=2").context["stories"]) == 2


def test_index_pages_keep_the_filters(client, make_story, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    for n in range(3):
        make_story(f"Cerita {n}", live=True, slug=f"cerita-{n}", berakhlak_values=["kompeten"])
    html = client.get("/cerita/?nilai=kompeten&page=2").content.decode()
    assert 'href="?nilai=kompeten&amp;page=1">Sebelumnya' in html
    assert 'href="?nilai=kompeten&amp;page=3">Berikutnya' in html
    assert 'aria-current="page"><span class="page-link">Halaman 2 dari 3</span>' in html


def test_search_pages_keep_the_query(client, make_story, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_PER_PAGE", 1)
    for n in range(2):
        make_story(f"Cerita {n}", live=True, slug=f"cerita-{n}", body_text="posyandu tertata")
    html = client.get("/cari/?q=posyandu").content.decode()
    assert 'href="?q=posyandu&amp;page=2">Berikutnya' in html


def _stories_with_images(make_story, count: int, start: int = 0) -> None:
    Image = get_image_model()
    for n in range(start, start + count):
        image = Image.objects.create(title=f"gambar {n}", file=get_test_image_file(f"g{n}.png"))
        story = make_story(f"Cerita {n}", slug=f"cerita-{n}", hero_image=image, live=False)
        story.tags.add(f"program-{n % 4}")
        story.save_revision().publish()


def test_index_query_count_does_not_grow_with_stories(client, make_story, settings):
    settings.CMS_PAGE_CACHE_SECONDS = 0  # count the rendering, not the page cache

    def count_queries() -> int:
        client.get("/cerita/")  # warm the renditions and the site-root cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cerita/")
        assert response.status_code == HTTPStatus.OK
        return len(queries)

    _stories_with_images(make_story, 3)
    with_three = count_queries()
    _stories_with_images(make_story, 27, start=3)
    with_thirty = count_queries()
    assert with_three == with_thirty
    assert with_thirty <= 15


def test_rss_and_atom_feeds_are_valid_xml_with_the_latest_stories(client, stories, make_story):
    make_story("Draf tidak masuk feed")
    rss = client.get("/cerita/feed/rss/")
    assert rss.status_code == HTTPStatus.OK
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    items = [item.findtext("title") for item in channel.findall("item")]
    assert items == ["Antrean Coblong", "Puskesmas rapi"]  # newest first
    assert channel.find("item").findtext("link").endswith("/cerita/antrean-coblong/")

    atom = client.get("/cerita/feed/atom/")
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == items


def test_search_uses_postgres_full_text_search_on_postgresql():
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__name__
    expected = (
        "PostgresSearchBackend" if connection.vendor == "postgresql" else "SQLiteSearchBackend"
    )
    assert backend == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Indonesian stemming is PostgreSQL's")
def test_postgres_search_stems_indonesian_words(client, make_story):
    make_story("Cerita pelayanan", live=True, body_text="Pelayanan kependudukan makin cepat.")
    assert titles(client.get("/cerita/?q=layanan")) == {"Cerita pelayanan"}
