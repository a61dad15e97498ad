from django import template

from portal.beranda import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(viewname: str) -> str:
    """`{% url viewname %}` for a URL without arguments, resolved once per process."""
    return cached_reverse(viewname)
