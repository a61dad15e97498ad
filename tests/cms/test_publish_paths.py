"""A story goes live only with the consent of every employee it features, on every path to
"live": bulk publish, scheduled publishing, publishing a revision (code, the admin API, the
editor's revert), workflow approval and a published copy. Each test is the attack as the role
would make it; each fails if the rule lives only in the editor form."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from cms.models import (
    CONSENT_REFUSED_LOG_ACTION,
    ConsentMissing,
    ConsentRequest,
    FeaturedEmployee,
    StandardPage,
    SuccessStoryPage,
)
from tests.factories import UserFactory

from .test_workflow import consent_as, moderate

pytestmark = pytest.mark.django_db


def bulk_publish(client, user, pages, **form):
    client.force_login(user)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = "&".join(f"id={page.pk}" for page in pages)
    return client.post(f"{url}?{query}&next=/admin/pages/", form, follow=True)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- bulk publish ----------------------------------------------------------------------------


def test_bulk_publish_refuses_a_story_without_consent(client, moderator, make_story, featured):
    story = make_story("Cerita pintas massal", people=[featured])
    other = make_story("Cerita tanpa orang")
    response = bulk_publish(client, moderator, [story, other])
    assert response.status_code == HTTPStatus.OK
    assert "belum bisa diterbitkan" in messages_of(response)
    assert "Dimas Ditampilkan" in messages_of(response)
    story.refresh_from_db()
    other.refresh_from_db()
    assert not story.live
    assert not other.live  # nothing is published half-way


def test_bulk_publish_of_the_index_with_its_draft_stories_refuses_them_too(
    client, moderator, make_story, featured, story_index
):
    story = make_story("Cerita anak", people=[featured])
    response = bulk_publish(client, moderator, [story_index], include_descendants="on")
    assert "belum bisa diterbitkan" in messages_of(response)
    story.refresh_from_db()
    assert not story.live


def test_bulk_publish_refuses_a_future_schedule_without_consent(
    client, moderator, make_story, featured
):
    story = make_story("Cerita terjadwal massal", people=[featured])
    story.go_live_at = timezone.now() + dt.timedelta(days=1)
    story.save_revision(user=moderator)
    bulk_publish(client, moderator, [story])
    assert not story.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_bulk_publish_still_publishes_a_consented_story(client, moderator, make_story, featured):
    story = make_story("Cerita setuju", people=[featured], live=True, consented=True)
    draft = story.get_latest_revision_as_object()
    draft.intro = "Pengantar baru yang sudah disetujui"
    draft.save_revision(user=moderator)
    response = bulk_publish(client, moderator, [story])
    assert "belum bisa diterbitkan" not in messages_of(response)
    story.refresh_from_db()
    assert story.intro == "Pengantar baru yang sudah disetujui"


# --- scheduled publishing --------------------------------------------------------------------


def test_publish_scheduled_skips_a_story_without_consent_and_goes_on(make_story, featured, home):
    """A schedule made before the rule (or by a path that only scheduled) is dropped, logged,
    and the other scheduled pages are still published in the same run."""
    story = make_story("Cerita jadwal lama", people=[featured])
    past = timezone.now() - dt.timedelta(minutes=5)
    story.get_latest_revision().__class__.objects.filter(pk=story.latest_revision_id).update(
        approved_go_live_at=past
    )
    guide = home.add_child(instance=StandardPage(title="Panduan", slug="panduan-jadwal"))
    revision = guide.save_revision()
    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=past)
    StandardPage.objects.filter(pk=guide.pk).update(live=False)

    call_command("publish_scheduled")

    story.refresh_from_db()
    guide.refresh_from_db()
    assert not story.live
    assert guide.live
    assert not story.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert PageLogEntry.objects.filter(page=story, action=CONSENT_REFUSED_LOG_ACTION).exists()


# --- publishing a revision -------------------------------------------------------------------


def test_publishing_a_revision_in_code_is_refused(make_story, featured, moderator):
    story = make_story("Cerita revisi", people=[featured])
    with pytest.raises(ConsentMissing):
        story.get_latest_revision().publish(user=moderator)
    story.refresh_from_db()
    assert not story.live


def test_the_admin_api_publish_action_is_refused(client, make_story, featured, moderator):
    story = make_story("Cerita API", people=[featured])
    client.force_login(moderator)
    response = client.post(f"/admin/api/main/pages/{story.pk}/action/publish/")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "belum bisa diterbitkan" in response.content.decode()
    story.refresh_from_db()
    assert not story.live


def test_reverting_to_an_unconsented_revision_and_publishing_is_refused(
    client, make_story, featured, moderator
):
    """Revision 1 featured someone who never consented; the live revision 2 does not."""
    stranger = UserFactory(full_name="Tanpa Persetujuan")
    story = make_story("Cerita bolak-balik", people=[stranger])
    old_revision = story.get_latest_revision()
    draft = story.get_latest_revision_as_object()
    draft.featured_employees = [FeaturedEmployee(user=featured, sort_order=0)]
    draft.save_revision()
    story.get_workflow().start(story, moderator)
    consent_as(client, featured, ConsentRequest.objects.get(page=story, user=featured))
    moderate(client, moderator, story, "approve")
    story.refresh_from_db()
    assert story.live

    client.force_login(moderator)
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[story.pk, old_revision.pk])
    html = client.get(revert).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")  # the old version's form
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Isi.</p>"))])}))
    assert data["featured_employees-0-user"] == str(stranger.pk)
    # that row was replaced when revision 2 went live: the old version re-adds it
    data["featured_employees-0-id"] = ""
    data["revision"] = str(old_revision.pk)
    data["action-publish"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert "belum semua pegawai yang ditampilkan" in response.content.decode()
    story.refresh_from_db()
    assert [fe.user for fe in story.featured_employees.all()] == [featured]


# --- workflow approval -----------------------------------------------------------------------


@pytest.mark.parametrize("xhr", [False, True])
def test_approving_after_a_moderator_added_an_employee_is_refused(
    client, make_story, featured, moderator, komunikasi, xhr
):
    """Approval publishes the latest revision: a moderator who adds someone while the story
    waits for them must not publish that person without asking."""
    story = make_story("Cerita moderasi", people=[featured])
    story.get_workflow().start(story, komunikasi)
    consent_as(client, featured, ConsentRequest.objects.get(page=story))
    story.refresh_from_db()
    newcomer = UserFactory(full_name="Budi Tambahan")
    draft = story.get_latest_revision_as_object()
    draft.featured_employees.add(FeaturedEmployee(user=newcomer, sort_order=1))
    draft.save_revision(user=moderator)

    client.force_login(moderator)
    task_state = story.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    response = client.post(url, {"comment": ""}, **headers)
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    if xhr:
        assert response.json()["redirect"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert "Budi Tambahan belum memberi persetujuan" in edit
    story.refresh_from_db()
    assert not story.live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS  # rolled back, still waiting


# --- copy ------------------------------------------------------------------------------------


def test_a_published_copy_of_a_story_is_refused(
    client, make_story, featured, moderator, story_index
):
    story = make_story("Cerita asli", people=[featured], live=True, consented=True)
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:copy", args=[story.pk])
    response = client.post(
        url,
        {
            "new_title": "Cerita salinan",
            "new_slug": "cerita-salinan",
            "new_parent_page": story_index.pk,
            "publish_copies": "on",
        },
        follow=True,
    )
    assert "Salinan cerita tidak dapat langsung diterbitkan" in messages_of(response)
    assert not SuccessStoryPage.objects.filter(slug="cerita-salinan", live=True).exists()
    # a draft copy is fine: it goes through the workflow like any story
    client.post(
        url,
        {
            "new_title": "Cerita salinan",
            "new_slug": "cerita-salinan",
            "new_parent_page": story_index.pk,
        },
    )
    copy = SuccessStoryPage.objects.get(slug="cerita-salinan")
    assert not copy.live


def test_a_live_copy_made_in_code_is_refused(make_story, featured, story_index):
    story = make_story("Cerita asli kode", people=[featured], live=True, consented=True)
    with pytest.raises(ConsentMissing):
        story.copy(
            to=story_index,
            update_attrs={"slug": "salinan-kode", "title": "Salinan"},
            keep_live=True,
        )
    assert not SuccessStoryPage.objects.filter(slug="salinan-kode").exists()
