"""The dashboard ("Beranda") and the navigation are composed from hooks.

`portal` imports no domain app: each app contributes a card with
`hooks.register("beranda_cards", fn)` and a menu entry with
`hooks.register("portal_menu_items", fn)` in its `wagtail_hooks.py`, the way Wagtail's
`construct_homepage_panels` works. Each function takes the request and returns a
`Card`/`MenuItem` or None; `register_menu_item` registers the usual entry (a named page for
signed-in people, or for Admin BKPSDM only), `beranda_card` a card from its context.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from wagtail import hooks


@dataclass
class Card:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    icon: str = "grid"


@dataclass
class MenuItem:
    label: str
    url: str
    order: int = 100
    icon: str = ""
    # the item is shown as active when the path starts with this
    active_prefix: str = ""
    active: bool = False
    # "kelola": an oversight/administration page, listed in the navbar's "Kelola" dropdown so
    # that the bar of a role with many pages still fits a laptop screen
    group: str = ""


def register_menu_item(label: str, url_name: str, *, admin_only: bool = False, **options) -> None:
    """A menu entry to the page `url_name` for signed-in people (`admin_only`: Admin BKPSDM),
    active at and below that page unless `active_prefix` says otherwise."""

    def menu_item(request: HttpRequest) -> MenuItem | None:
        user = request.user
        if not user.is_authenticated or (admin_only and not user.is_bkpsdm_admin):
            return None
        url = reverse(url_name)
        return MenuItem(label, url, **{"active_prefix": url, **options})

    hooks.register("portal_menu_items", menu_item)


def beranda_card(title: str, template: str, **options) -> Callable:
    """Register the decorated function, which takes the request and returns the context of a
    card (`title`, `template`; `options`: order, icon), as a Beranda card: shown with what it
    returns, or not at all when it returns None."""

    def register(context: Callable[[HttpRequest], dict | None]) -> Callable:
        def card(request: HttpRequest) -> Card | None:
            found = context(request)
            return None if found is None else Card(title, template, found, **options)

        hooks.register("beranda_cards", card)
        return context

    return register


def beranda_cards(request: HttpRequest) -> list[Card]:
    cards = [card for fn in hooks.get_hooks("beranda_cards") if (card := fn(request))]
    return sorted(cards, key=lambda card: card.order)


def menu_groups(items: list[MenuItem]) -> tuple[list[MenuItem], list[MenuItem]]:
    """(items shown on the bar, items in the "Kelola" dropdown)."""
    return [i for i in items if not i.group], [i for i in items if i.group == "kelola"]


def menu_items(request: HttpRequest) -> list[MenuItem]:
    items = [item for fn in hooks.get_hooks("portal_menu_items") if (item := fn(request))]
    for item in items:
        item.active = bool(item.active_prefix) and request.path.startswith(item.active_prefix)
    return sorted(items, key=lambda item: item.order)
