"""A create that crosses Wagtail's autosave of the same new page (CI saw it as a 500 under load).

The race itself needs two requests at once; here the form's slug check is made to pass once, as
it did for the request that lost, and the page that won is already in the database."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from cms.models import SuccessStoryPage
from tests.factories import UserFactory

from .test_workflow import story_form

pytestmark = pytest.mark.django_db

real_check = Page._slug_is_available


def form_check_passes_once():
    """The form's check (the first call) sees no page yet; the model's own check sees it."""
    calls = []

    def check(slug, parent_page, page=None):
        calls.append(slug)
        return True if len(calls) == 1 else real_check(slug, parent_page, page)

    return mock.patch.object(Page, "_slug_is_available", side_effect=check)


@pytest.fixture
def autosaved(client, komunikasi, featured, story_index):
    """The author's new story, as the first autosave created it (a JSON answer)."""
    client.force_login(komunikasi)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    response = client.post(
        url, story_form("Cerita kilat", [featured]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content[:500]
    return url, SuccessStoryPage.objects.get(slug="cerita-uji")


def test_a_submit_that_crossed_the_autosave_opens_the_draft_with_what_to_do(
    client, autosaved, featured
):
    url, draft = autosaved
    with form_check_passes_once():
        response = client.post(
            url, story_form("Cerita kilat", [featured], **{"action-submit": "1"})
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "sudah tersimpan otomatis sebagai draf" in message
    assert SuccessStoryPage.objects.filter(title="Cerita kilat").count() == 1  # no second page


def test_an_autosave_that_crossed_the_submit_answers_in_wagtails_error_shape(
    client, autosaved, featured
):
    url, _draft = autosaved
    with form_check_passes_once():
        response = client.post(
            url, story_form("Cerita kilat", [featured]), HTTP_ACCEPT="application/json"
        )

    assert response.status_code == 400
    assert response.json()["error_code"] == "created_meanwhile"


def test_someone_elses_page_with_the_slug_is_not_taken_for_the_authors_draft(
    client, komunikasi, featured, story_index
):
    """Only the author's own fresh draft is "the same page": another writer's is not opened."""
    other = UserFactory(groups=list(komunikasi.groups.all()), full_name="Penulis Lain")
    client.force_login(other)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    client.post(url, story_form("Cerita lain", [featured]), HTTP_ACCEPT="application/json")
    client.force_login(komunikasi)

    # two writers choosing one slug in the same second are not mistaken for one page: the
    # exception goes on to Wagtail, and nobody is sent into the other writer's draft
    with form_check_passes_once(), pytest.raises(ValidationError):
        client.post(url, story_form("Cerita kilat", [featured], **{"action-submit": "1"}))
