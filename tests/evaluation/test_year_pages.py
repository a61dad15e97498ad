"""Pages met on the year's walk (tests/e2e/test_year_journey.py): Admin BKPSDM manages every OPD
of the city (80 in the register, 20 a page), so the evaluation home finds one by name, keeps the
search across pages and says when nothing matches; the rating guidance speaks Indonesian only."""

from django.urls import reverse

from performance.models import rating_guidance
from portal.models import OrgUnit
from tests.factories import OrgUnitFactory


def test_admin_finds_an_opd_by_name_among_many(unit, bkpsdm_admin, client_for, closed_cycle):
    for n in range(25):
        OrgUnitFactory(name=f"Kecamatan Uji {n:02d}", kind=OrgUnit.Kind.KECAMATAN)
    client = client_for(bkpsdm_admin)
    url = reverse("performance:annual_home")
    detail = reverse("performance:unit_detail", args=[closed_cycle.year, unit.opd.pk])

    first = client.get(url, {"tahun": closed_cycle.year}).content.decode()
    assert 'id="cari-opd"' in first  # more than one page: the search is offered

    found = client.get(url, {"tahun": closed_cycle.year, "q": unit.opd.name[3:].upper()})
    html = found.content.decode()
    assert detail in html and "Kecamatan Uji" not in html

    paged = client.get(url, {"tahun": closed_cycle.year, "q": "kecamatan uji"}).content.decode()
    assert "q=kecamatan+uji&amp;halaman=2" in paged  # the pager keeps the search

    none = client.get(url, {"tahun": closed_cycle.year, "q": "Tidak Ada"}).content.decode()
    assert 'data-testid="opd-tidak-ditemukan"' in none and 'value="Tidak Ada"' in none


def test_a_head_sees_no_search_for_one_opd(unit, client_for, closed_cycle):
    html = client_for(unit.head).get(reverse("performance:annual_home")).content.decode()
    assert reverse("performance:unit_detail", args=[closed_cycle.year, unit.opd.pk]) in html
    assert 'id="cari-opd"' not in html


def test_rating_guidance_shows_no_english_note(unit, client_for):
    note = rating_guidance()["confidence"]
    assert note  # the domain data's note, in English
    url = reverse("performance:annual_detail", args=[unit.skps[0].pk])
    html = client_for(unit.penilai).get(url).content.decode()
    assert 'id="panduan-rating"' in html and "Sumber sekunder" in html
    assert note not in html
