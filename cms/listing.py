"""Reading the story index: filters from the URL, search, pagination."""

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from taggit.models import Tag

from portal.domain import berakhlak_choices
from portal.models import OrgUnit

PER_PAGE = 9


def search_query(request: HttpRequest) -> str:
    """`q`, without what breaks Wagtail's SQLite full-text query (a double quote or a NUL
    leaves an "unterminated string"); the database backend ignores them anyway."""
    raw = request.GET.get("q", "")
    return raw.replace("\x00", "").replace('"', " ").strip()[:200]


def story_listing(request: HttpRequest, index) -> dict:
    """Filter by OPD (code), BerAKHLAK value (code) and program tag (slug), search with `q`.

    Unknown filter values are ignored and named in `ignored_filters`, never an error.
    """
    stories = index.stories()
    opd_ids = stories.exclude(org_unit=None).values("org_unit_id")
    opd_options = list(OrgUnit.objects.filter(pk__in=opd_ids).only("code", "name", "short_name"))
    tag_options = list(stories.program_tags())
    value_options = berakhlak_choices()
    ignored: list[str] = []
    active: dict[str, str] = {}

    opd = request.GET.get("opd", "").strip()
    if opd:
        unit = next((u for u in opd_options if u.code == opd), None)
        if unit is None:
            unit = OrgUnit.objects.filter(code=opd, parent=None).first()
        if unit:
            stories = stories.filter(org_unit=unit)
            active["opd"] = unit.code
        else:
            ignored.append(_("perangkat daerah"))
    value = request.GET.get("nilai", "").strip()
    if value:
        if value in dict(value_options):
            stories = stories.with_value(value)
            active["nilai"] = value
        else:
            ignored.append(_("nilai BerAKHLAK"))
    tag = request.GET.get("tag", "").strip()
    if tag:
        if Tag.objects.filter(slug=tag).exists():
            stories = stories.filter(tags__slug=tag)
            active["tag"] = tag
        else:
            ignored.append(_("tag program"))
    query = search_query(request)
    stories = stories.for_listing()
    if query:
        found = index.search_stories(query)
        stories = stories.filter(pk__in=[page.pk for page in found[:500]])
    paginator = Paginator(stories, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return {
        "stories": page_obj,
        "page_obj": page_obj,
        "paginator": paginator,
        "opd_options": [(unit.code, unit.display_name) for unit in opd_options],
        "tag_options": [(tag.slug, tag.name) for tag in tag_options],
        "value_options": value_options,
        "active_filters": active,
        "ignored_filters": ignored,
        "query": query,
        "filter_querystring": querystring.urlencode(),
    }
