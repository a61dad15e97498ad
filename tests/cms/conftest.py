import json

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms.demo import ensure_publication_setup
from cms.models import ConsentRequest, FeaturedEmployee, StoryIndexPage, SuccessStoryPage
from cms.services import answer_consent
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
    """make_story(title, people=[users], live=False, consented=False, body_text=..., **fields).

    A live story with people: with `consented` they approve it through the workflow first;
    without, it is made live in the database directly, as stories published before consent
    was enforced on every path (the public page must still hide them)."""

    def make(
        title="Cerita uji",
        *,
        people=(),
        live=False,
        consented=False,
        body_text="Isi cerita.",
        **fields,
    ):
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
        if live and people and not consented:
            now = timezone.now()
            SuccessStoryPage.objects.filter(pk=story.pk).update(
                live=True,
                has_unpublished_changes=False,
                live_revision=revision,
                first_published_at=now,
                last_published_at=now,
            )
            story.refresh_from_db()
        elif live:
            if people:
                story.get_workflow().start(story, komunikasi)
                for request in ConsentRequest.objects.filter(page=story):
                    answer_consent(consent_request=request, user=request.user, approve=True)
            revision.publish()
            story.refresh_from_db()
        return story

    return make


@pytest.fixture
def home(story_index) -> Page:
    return story_index.get_parent()
