from django import template

from portal.middleware import requires_mfa
from portal.notifications import unread_count

register = template.Library()


@register.filter
def must_use_totp(user) -> bool:
    """Whether this person's role requires two-factor authentication (portal.middleware)."""
    return requires_mfa(user)


@register.inclusion_tag("components/notifications_nav.html", takes_context=True)
def notifications_nav(context) -> dict:
    """The menu's bell with my unread count (cached per person: no query when warm)."""
    user = context.get("user")
    return {"unread": unread_count(user) if user is not None else 0}
