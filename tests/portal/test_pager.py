"""templates/components/pager.html: the one pager of every paginated list."""

from django.core.paginator import Paginator
from django.template import engines

PARAMS = ("query", "param", "label", "current", "words", "nav_class", "list_class", "empty", "icon")


def pager(number: int = 2, pages: int = 3, **params) -> str:
    """The component as an include line passes it: every parameter named, unset ones empty."""
    page = Paginator(range(pages), 1).get_page(number)
    passed = " ".join(f"{name}={name}" for name in PARAMS)
    template = engines["django"].from_string(
        f'{{% include "components/pager.html" with page=page {passed} only %}}'
    )
    return template.render({"page": page, **dict.fromkeys(PARAMS, ""), **params})


def test_one_page_needs_no_pager():
    assert pager(1, 1).strip() == ""


def test_links_keep_the_query_and_name_the_page_parameter():
    html = pager(query="q=dinas&tahun=2026", param="page")
    assert 'href="?q=dinas&amp;tahun=2026&amp;page=1">Sebelumnya</a>' in html
    assert 'href="?q=dinas&amp;tahun=2026&amp;page=3">Berikutnya</a>' in html


def test_defaults_halaman_and_the_current_page_marked_for_screen_readers():
    html = pager()
    assert '<nav aria-label="Halaman"><ul class="pagination">' in html
    assert 'href="?halaman=1"' in html and 'href="?halaman=3"' in html
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">2 / 3</span>'
        in (html)
    )


def test_the_styles_the_lists_keep():
    html = pager(current="disabled", words=1, nav_class="mt-3", list_class="pagination-sm mb-0")
    assert (
        '<nav class="mt-3" aria-label="Halaman"><ul class="pagination pagination-sm mb-0">' in html
    )
    assert '<li class="page-item disabled"><span class="page-link">Halaman 2 dari 3</span>' in html
    assert "aria-current" not in html
    html = pager(number=1, current="none", label="Halaman hasil")
    assert 'aria-label="Halaman hasil"' in html and 'page-link">1' not in html
    assert "Sebelumnya" not in html and 'href="?halaman=2">Berikutnya' in html


def test_an_empty_page_shows_the_empty_state_instead_of_a_pager():
    html = pager(1, 0, empty="Belum ada riwayat.", icon="clock-history")
    assert '<p class="mb-0">Belum ada riwayat.</p>' in html
    assert 'class="bi bi-clock-history' in html and "<nav" not in html
    html = pager(empty="Belum ada riwayat.", icon="clock-history")
    assert '<nav aria-label="Halaman">' in html
    assert "Belum ada riwayat." not in html and "bi-clock-history" not in html
    assert pager(1, 1, empty="Belum ada riwayat.", icon="clock-history").strip() == ""
