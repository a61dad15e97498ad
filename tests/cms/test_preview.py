"""Pratinjau (preview) in the Wagtail admin: every page type, every state, every role that may
preview it, through the three admin preview URLs (edit preview POST + GET, workflow preview,
revision preview). A consented employee in a story used to make every preview a 500."""

from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from cms.models import ConsentRequest, HomePage, StandardPage
from tests.factories import UserFactory
from training.editorial import ensure_editorial_setup, ensure_training_index

from .test_workflow import consent_as, moderate

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(story_index):
    from allauth.mfa.models import Authenticator

    user = UserFactory(is_superuser=True, is_staff=True, full_name="Super Admin")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def edit_form_data(client, page):
    """The edit form as the browser would send it. StreamFields are drawn by JavaScript, so
    each gets one paragraph (or nothing where the stream has no paragraph block)."""
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == HTTPStatus.OK
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    for field in type(page)._meta.get_fields():
        if isinstance(field, StreamField):
            blocks = field.stream_block.child_blocks
            items = (
                [("paragraph", rich_text("<p>Isi pratinjau.</p>"))] if "paragraph" in blocks else []
            )
            data.update(nested_form_data({field.name: streamfield(items)}))
    return data


def preview_on_edit(client, page, data=None) -> str:
    """As the editor's "Pratinjau" button does: POST the edit form, then GET the preview."""
    if data is None:
        data = edit_form_data(client, page)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response.json() == {"is_valid": True, "is_available": True}, response.json()
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def preview_revision(client, page) -> str:
    revision = page.get_latest_revision()
    url = reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def preview_workflow(client, page) -> str:
    task = page.current_workflow_task
    url = reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def consent_everyone(client, story):
    for request in ConsentRequest.objects.filter(page=story, status=ConsentRequest.PENDING):
        consent_as(client, request.user, request)
    story.refresh_from_db()


@pytest.fixture
def stories(client, make_story, featured, komunikasi, moderator, supervisor, employee):
    """One story in each state, every one naming `featured`."""
    from leaderboard.models import Recognition
    from leaderboard.services import give_recognition

    other = UserFactory(full_name="Rina Kedua")
    draft = make_story("Cerita draf", people=[featured], slug="draf")

    in_consent = make_story("Cerita menunggu persetujuan", people=[featured, other], slug="tunggu")
    in_consent.get_workflow().start(in_consent, komunikasi)
    consent_as(client, featured, ConsentRequest.objects.get(page=in_consent, user=featured))
    in_consent.refresh_from_db()

    in_moderation = make_story("Cerita di moderator", people=[featured], slug="moderasi")
    in_moderation.get_workflow().start(in_moderation, komunikasi)
    consent_everyone(client, in_moderation)

    live = make_story("Cerita terbit", people=[featured], slug="terbit")
    live.get_workflow().start(live, komunikasi)
    consent_everyone(client, live)
    moderate(client, moderator, live, "approve")
    live.refresh_from_db()
    assert live.live
    recognition = give_recognition(
        giver=supervisor, receiver=employee, value="kolaboratif", message="Data", points=10
    )
    Recognition.objects.filter(pk=recognition.pk).update(story=live)
    draft_of_live = live.get_latest_revision_as_object()
    draft_of_live.intro = "Pengantar yang diperbarui"
    draft_of_live.save_revision(user=komunikasi)
    live.refresh_from_db()
    assert live.has_unpublished_changes
    return {"draft": draft, "in_consent": in_consent, "in_moderation": in_moderation, "live": live}


@pytest.mark.parametrize("role", ["komunikasi", "moderator", "superuser"])
def test_every_story_state_previews_with_its_consented_employees(
    client, request, stories, featured, role
):
    user = request.getfixturevalue(role)
    for state, story in stories.items():
        client.force_login(user)
        for html in (preview_revision(client, story),) + (
            (preview_on_edit(client, story),)
            # Tim Komunikasi cannot open the editor of a story they may not change now
            if story.permissions_for_user(user).can_edit()
            and not story.get_lock()
            or role != "komunikasi"
            else ()
        ):
            assert "Pengantar" in html, (state, role)
            # the consented employee appears; the one who has not answered does not
            consented = ConsentRequest.objects.filter(
                page=story, user=featured, status=ConsentRequest.APPROVED
            ).exists()
            assert (featured.full_name in html) == consented, (state, role)
            assert "Rina Kedua" not in html
        task = story.current_workflow_task
        # the workflow preview belongs to whoever may act on the current task (the moderators)
        if task is not None and task.specific.get_actions(story, user):
            html = preview_workflow(client, story)
            assert "Pengantar" in html, (state, role)


def test_the_live_story_preview_shows_its_draft_and_its_recognitions(client, stories, moderator):
    client.force_login(moderator)
    html = preview_on_edit(client, stories["live"])
    assert "Pengantar yang diperbarui" in html
    assert "Berawal dari apresiasi" in html
    assert "Apresiasi nilai Kolaboratif" in html


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_moderator_previews_a_story_being_edited_with_a_new_employee(
    client, request, stories, featured, role
):
    """The edit form's own data (a new, not yet consented employee) is previewed, not saved."""
    user = request.getfixturevalue(role)
    story = stories["in_moderation"]
    newcomer = UserFactory(full_name="Budi Baru")
    client.force_login(user)
    data = edit_form_data(client, story)
    data["featured_employees-TOTAL_FORMS"] = "2"
    data["featured_employees-1-user"] = str(newcomer.pk)
    data["featured_employees-1-role"] = ""
    data["featured_employees-1-ORDER"] = "2"
    data["featured_employees-1-id"] = ""
    data["featured_employees-1-DELETE"] = ""
    html = preview_on_edit(client, story, data)
    assert featured.full_name in html
    assert "Budi Baru" not in html  # never shown before they consent


def test_public_pages_preview_for_the_superuser(client, superuser, story_index, stories):
    home = HomePage.objects.get()
    standard = StandardPage(title="Panduan", slug="panduan", intro="Pengantar panduan")
    home.add_child(instance=standard)
    standard.save_revision(user=superuser)
    client.force_login(superuser)
    for page in (home, standard, story_index):
        page.save_revision(user=superuser)
        assert preview_on_edit(client, page)
        assert preview_revision(client, page)


@pytest.fixture
def training_pages(story_index):
    from tests.training.factories import make_module, single

    index = ensure_training_index(django_apps)
    ensure_editorial_setup(django_apps)
    module = make_module(
        index, lessons=2, quiz=[single("q1", "Satu tambah satu?", ["1", "2*", "3"])]
    )
    lesson = module.get_children().specific().first()
    return [Page.objects.get(pk=index.pk).specific, module, lesson]


@pytest.mark.parametrize("role", ["komunikasi", "moderator", "superuser"])
def test_training_pages_preview_for_every_editor(client, request, training_pages, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for page in training_pages:
        if not page.permissions_for_user(user).can_edit():
            continue
        page.save_revision(user=user)
        assert preview_on_edit(client, page)
        assert preview_revision(client, page)
