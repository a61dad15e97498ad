from django import template

from portal.beranda import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(viewname: str) -> str:
    """`{% url viewname %}` for a URL without arguments, resolved once per process."""
    return cached_reverse(viewname)


@register.filter
def must_use_totp(user) -> bool:
    """Whether this person's role requires two-factor authentication (portal.middleware)."""
    from portal.middleware import requires_mfa

    return requires_mfa(user)
