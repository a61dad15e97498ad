"""The navbar's links follow where the portal is mounted (the script prefix), request by request."""

import pytest
from django.urls import clear_script_prefix, set_script_prefix

pytestmark = pytest.mark.django_db

LINKS = (
    "beranda/",
    "notifikasi/",
    "accounts/password/change/",
    "accounts/logout/",
    "i18n/setlang/",
)


def test_navbar_links_follow_the_script_prefix(client_for, employee):
    client = client_for(employee)
    set_script_prefix("/portal/")  # what the WSGI handler does for SCRIPT_NAME=/portal
    try:
        mounted = client.get("/beranda/").content.decode()
    finally:
        clear_script_prefix()
    at_root = client.get("/beranda/").content.decode()
    for path in LINKS:
        assert f'"/portal/{path}"' in mounted
        assert f'"/{path}"' in at_root and f'"/portal/{path}"' not in at_root
