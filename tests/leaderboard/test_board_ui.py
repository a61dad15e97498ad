"""Issue 15.11 (board parts): the kiosk links are found and copied; the give form's htmx
includes point at something that is on the page."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from leaderboard.models import KioskLink

pytestmark = pytest.mark.django_db


def _present(html: str, selector: str) -> bool:
    if selector.startswith("#"):
        return f'id="{selector[1:]}"' in html
    attribute = re.fullmatch(r"\[name=(\w+)\]", selector)
    if attribute:
        return f'name="{attribute.group(1)}"' in html
    return selector in ("this", "closest form")


def test_every_hx_include_of_the_give_form_finds_its_element(client, staff):
    """htmx logs `hx-include "[name=receiver]" returned no matches` when the selector finds
    nothing on the page (before anyone was chosen)."""
    client.force_login(staff)
    html = client.get(reverse("leaderboard:give")).content.decode()
    includes = re.findall(r'hx-include="([^"]+)"', html)
    assert includes
    assert all(_present(html, selector) for selector in includes), includes


def test_admin_finds_the_kiosk_links_from_the_board_and_the_beranda(client, admin):
    client.force_login(admin)
    url = reverse("leaderboard:kiosk_links")
    assert url in client.get(reverse("leaderboard:board")).content.decode()
    assert url in client.get(reverse("portal:beranda")).content.decode()


def test_others_get_no_kiosk_link_button(client, staff):
    client.force_login(staff)
    assert (
        reverse("leaderboard:kiosk_links")
        not in client.get(reverse("leaderboard:board")).content.decode()
    )


def test_a_created_kiosk_link_has_copy_and_open_buttons(client, admin, opd):
    client.force_login(admin)
    response = client.post(
        reverse("leaderboard:kiosk_links"), {"org_unit": opd.pk, "label": "Lobi"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    link = KioskLink.objects.get(label="Lobi")
    html = response.content.decode()
    address = f"{reverse('leaderboard:kiosk')}?k={link.token}"
    assert f'data-copy-target="kiosk-url-{link.pk}"' in html
    assert f'id="kiosk-url-{link.pk}"' in html
    assert re.search(rf'<a [^>]*href="[^"]*{re.escape(address)}"[^>]*target="_blank"', html)
