import json

import pytest
from wagtail.models import Page

from cms.demo import ensure_publication_setup
from cms.models import FeaturedEmployee, StoryIndexPage, SuccessStoryPage
from portal.models import MODERATOR_KONTEN, TIM_KOMUNIKASI
from tests.factories import UserFactory


@pytest.fixture
def story_index(db) -> StoryIndexPage:
    ensure_publication_setup()  # transactional tests flush what the data migration made
    return StoryIndexPage.objects.get()


@pytest.fixture
def komunikasi(story_index):
    return UserFactory(groups=[TIM_KOMUNIKASI], full_name="Siti Penulis")


@pytest.fixture
def moderator(story_index):
    return UserFactory(groups=[MODERATOR_KONTEN], full_name="Wulan Moderator")


@pytest.fixture
def featured(org_unit):
    return UserFactory(org_unit=org_unit, full_name="Dimas Ditampilkan")


@pytest.fixture
def make_story(story_index, komunikasi):
    """make_story(title, people=[users], live=False, body_text=..., **fields) -> SuccessStoryPage."""

    def make(title="Cerita uji", *, people=(), live=False, body_text="Isi cerita.", **fields):
        story = SuccessStoryPage(
            title=title,
            intro=fields.pop("intro", f"Pengantar {title}"),
            body=json.dumps([{"type": "paragraph", "value": f"<p>{body_text}</p>"}]),
            owner=komunikasi,
            live=False,
            **fields,
        )
        for order, person in enumerate(people):
            story.featured_employees.add(FeaturedEmployee(user=person, sort_order=order))
        story_index.add_child(instance=story)
        revision = story.save_revision(user=komunikasi)
        if live:
            revision.publish()
            story.refresh_from_db()
        return story

    return make


@pytest.fixture
def home(story_index) -> Page:
    return story_index.get_parent()
