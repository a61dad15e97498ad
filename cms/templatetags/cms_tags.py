from django import template
from django.core.cache import cache
from django.template import engines

from cms.models import SiteChrome

register = template.Library()

RECOGNITIONS = "{% load leaderboard_tags %}{% public_recognitions limit=limit %}"
CHROME_TIMEOUT = 300


@register.simple_tag(takes_context=True)
def optional_recognitions(context, limit: int = 6) -> str:
    """This month's public recognitions, when the leaderboard app provides its tag library;
    nothing otherwise (cms imports no domain app)."""
    engine = engines["django"].engine
    if "leaderboard_tags" not in engine.template_libraries:
        return ""
    with context.push(limit=limit):
        return engine.from_string(RECOGNITIONS).render(context)


@register.simple_tag(takes_context=True)
def site_chrome(context) -> dict:
    """Navigation and footer links from the SiteChrome site setting, cached (one query on a
    miss) and read once per request: the navbar and the footer both ask."""
    request = context.get("request")
    chrome = getattr(request, "_site_chrome", None)
    if chrome is not None:
        return chrome
    chrome = cache.get(SiteChrome.CACHE_KEY)
    if chrome is None:
        setting = SiteChrome.objects.filter(site__is_default_site=True).first()
        chrome = setting.as_dict() if setting else {}
        cache.set(SiteChrome.CACHE_KEY, chrome, CHROME_TIMEOUT)
    if request is not None:
        request._site_chrome = chrome
    return chrome
