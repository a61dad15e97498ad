"""The navbar's links are resolved once per process, URLconf, script prefix and language."""

from django.test import override_settings
from django.urls import clear_script_prefix, path, reverse, set_script_prefix
from django.utils import translation

from portal import beranda
from portal.beranda import cached_reverse


def test_cached_reverse_gives_what_reverse_gives_and_resolves_once(monkeypatch):
    beranda._reverse.cache_clear()
    calls = []
    real = beranda.reverse
    monkeypatch.setattr(beranda, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert cached_reverse("portal:beranda") == reverse("portal:beranda") == "/beranda/"
    assert cached_reverse("portal:beranda") == "/beranda/"
    assert cached_reverse("leaderboard:snapshot") == reverse("leaderboard:snapshot")
    assert calls == [("portal:beranda",), ("leaderboard:snapshot",)]


def test_cached_reverse_follows_the_script_prefix_and_the_language():
    set_script_prefix("/portal/")
    try:
        assert cached_reverse("portal:beranda") == "/portal/beranda/"
    finally:
        clear_script_prefix()
    assert cached_reverse("portal:beranda") == "/beranda/"
    with translation.override("en"):
        assert cached_reverse("portal:beranda") == reverse("portal:beranda")


class MovedUrls:
    urlpatterns = [path("sehat/", lambda request: None, name="healthz")]


def test_cached_reverse_follows_the_urlconf():
    assert cached_reverse("healthz") == "/healthz/"
    with override_settings(ROOT_URLCONF=MovedUrls):
        assert cached_reverse("healthz") == "/sehat/"
    assert cached_reverse("healthz") == "/healthz/"
