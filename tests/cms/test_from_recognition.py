"""From a recognition (or any source another app knows) to a story draft, via hooks."""

from http import HTTPStatus

import pytest
from django.template import engines
from wagtail import hooks

from cms.models import SuccessStoryPage
from portal.models import OrgUnit

pytestmark = pytest.mark.django_db

URL = "/admin/cerita/dari/recognition/{pk}/"


@pytest.fixture
def prefill_hook(featured):
    calls = []

    def prefill(source, pk, user):
        if source != "recognition" or pk != 7:
            return None
        return {
            "title": "Apresiasi untuk kolaborasi data",
            "intro": "Berawal dari apresiasi atasan.",
            "featured_user_ids": [featured.pk],
            "berakhlak_values": ["kolaboratif", "bukan-nilai"],
            "org_unit_id": OrgUnit.objects.get(code="dinas-kesehatan").pk,
        }

    def created(source, pk, page):
        calls.append((source, pk, page.pk))

    with (
        hooks.register_temporarily("cms_story_prefill", prefill),
        hooks.register_temporarily("cms_story_created", created),
    ):
        yield calls


def test_tim_komunikasi_starts_a_prefilled_draft(client, komunikasi, featured, prefill_hook):
    client.force_login(komunikasi)
    confirm = client.get(URL.format(pk=7))
    assert confirm.status_code == HTTPStatus.OK
    assert "Apresiasi untuk kolaborasi data" in confirm.content.decode()
    assert not SuccessStoryPage.objects.exists()  # a GET never creates anything

    response = client.post(URL.format(pk=7))
    story = SuccessStoryPage.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/admin/pages/{story.pk}/edit/"
    assert not story.live
    assert story.title == "Apresiasi untuk kolaborasi data"
    assert story.berakhlak_values == ["kolaboratif"]  # unknown codes dropped
    assert story.org_unit.code == "dinas-kesehatan"
    assert [fe.user for fe in story.featured_employees.all()] == [featured]
    assert story.get_parent().url == "/cerita/"
    assert prefill_hook == [("recognition", 7, story.pk)]
    assert client.get(response["Location"]).status_code == HTTPStatus.OK


def test_unknown_source_gives_an_indonesian_404(client, komunikasi, prefill_hook):
    client.force_login(komunikasi)
    response = client.post(URL.format(pk=8))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Sumber cerita tidak ditemukan" in response.content.decode()
    assert not SuccessStoryPage.objects.exists()


def test_only_tim_komunikasi_may_start_a_story(client, moderator, employee, prefill_hook):
    client.force_login(moderator)
    # the admin turns PermissionDenied into a redirect with a message
    assert client.post(URL.format(pk=7)).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    client.force_login(employee)  # no admin access at all
    assert client.post(URL.format(pk=7)).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not SuccessStoryPage.objects.exists()


def test_story_lists_recognitions_only_when_the_relation_exists(client, make_story):
    story = make_story("Tanpa apresiasi", live=True)
    content = client.get(story.url).content.decode()
    assert "Berawal dari apresiasi" not in content


def test_home_degrades_when_the_leaderboard_tag_library_is_missing(
    client, story_index, monkeypatch
):
    engine = engines["django"].engine
    monkeypatch.delitem(engine.template_libraries, "leaderboard_tags", raising=False)
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert "Apresiasi bulan ini" not in response.content.decode()


def test_home_shows_recognitions_when_the_tag_library_exists(client, story_index, monkeypatch):
    from django import template

    library = template.Library()

    @library.simple_tag
    def public_recognitions(limit=6):
        return f"APRESIASI-PUBLIK-{limit}"

    engine = engines["django"].engine
    monkeypatch.setitem(engine.template_libraries, "leaderboard_tags", library)
    content = client.get("/").content.decode()
    assert "APRESIASI-PUBLIK-6" in content


def test_home_lists_this_months_recognitions_under_one_heading(
    client, story_index, supervisor, employee
):
    from leaderboard.services import give_recognition

    give_recognition(
        giver=supervisor, receiver=employee, value="harmonis", message="Sigap membantu", points=5
    )
    content = client.get("/").content.decode()
    assert "Sigap membantu" in content
    assert content.count("Apresiasi bulan ini") == 1


def test_story_lists_its_recognitions_by_value_and_date_only(
    client, make_story, supervisor, employee
):
    from django.utils import timezone

    from leaderboard.models import Recognition
    from leaderboard.services import give_recognition

    story = make_story("Dari apresiasi", live=True)
    kept = give_recognition(
        giver=supervisor, receiver=employee, value="kolaboratif", message="Data", points=10
    )
    revoked = give_recognition(
        giver=supervisor, receiver=employee, value="adaptif", message="Cepat", points=5
    )
    Recognition.objects.filter(pk__in=[kept.pk, revoked.pk]).update(story=story)
    Recognition.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    content = client.get(story.url).content.decode()
    assert "Berawal dari apresiasi" in content
    assert "Apresiasi nilai Kolaboratif" in content
    assert "Adaptif" not in content.split("Berawal dari apresiasi")[1].split("</section>")[0]
    assert f"{supervisor.pk} -&gt; {employee.pk}" not in content
    assert supervisor.full_name not in content
