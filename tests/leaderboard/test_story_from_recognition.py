"""End to end across apps: a recognition becomes a story draft, and the live story lists it."""

from http import HTTPStatus

import pytest

from cms.models import StoryIndexPage, SuccessStoryPage
from leaderboard.services import give_recognition
from portal.models import TIM_KOMUNIKASI
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_recognition_to_story_and_back(client, supervisor, employee):
    from cms.demo import ensure_publication_setup

    ensure_publication_setup()
    recognition = give_recognition(
        giver=supervisor,
        receiver=employee,
        value="kolaboratif",
        message="Menyatukan data dua dinas",
        points=10,
    )
    writer = UserFactory(groups=[TIM_KOMUNIKASI])
    client.force_login(writer)
    response = client.post(f"/admin/cerita/dari/recognition/{recognition.pk}/")
    assert response.status_code == HTTPStatus.FOUND
    story = SuccessStoryPage.objects.get()
    assert story.get_parent().specific.__class__ is StoryIndexPage
    assert [fe.user for fe in story.featured_employees.all()] == [employee]
    assert story.berakhlak_values == ["kolaboratif"]
    recognition.refresh_from_db()
    assert recognition.story_id == story.pk
    assert list(story.recognitions.all()) == [recognition]
