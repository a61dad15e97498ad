"""Published content changes only through moderation: Tim Komunikasi cannot replace the photo
or document of a live (or submitted) page; they upload a new one and submit the page."""

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection
from wagtail.rich_text import RichText

from cms.media import LOCKED, UPLOADS

from .test_workflow import consent_as

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()


def uploaded_image(user, name="foto.png", collection=UPLOADS):
    return Image.objects.create(
        title="Foto cerita",
        file=get_test_image_file(name),
        uploaded_by_user=user,
        collection=Collection.objects.get(name=collection)
        if collection
        else Collection.get_first_root_node(),
    )


def upload(name: str, colour: str = "white") -> SimpleUploadedFile:
    data = get_test_image_file(name, colour=colour).file.getvalue()
    return SimpleUploadedFile(name, data, content_type="image/png")


def replace_image(client, user, image):
    """The attack: POST the image edit form with another file, as the role would."""
    client.force_login(user)
    url = reverse("wagtailimages:edit", args=[image.pk])
    return client.post(
        url,
        {
            "title": "Foto diganti",
            "file": upload("ganti.png", colour="red"),
            "collection": image.collection_id,
            "tags": "",
            "alt": "",
        },
    )


def test_tim_komunikasi_cannot_replace_the_photo_of_a_live_story(
    client, komunikasi, make_story, featured
):
    image = uploaded_image(komunikasi)
    original = image.file.name
    story = make_story(
        "Cerita berfoto", people=[featured], live=True, consented=True, hero_image=image
    )
    image.refresh_from_db()
    assert story.live
    assert image.collection.name == LOCKED

    response = replace_image(client, komunikasi, image)
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    image.refresh_from_db()
    assert image.file.name == original
    assert image.title == "Foto cerita"
    # nor delete it
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_submitted_story_locks_its_photo_before_the_moderator_sees_it(
    client, komunikasi, make_story, featured
):
    """What the employee consents to and the moderator approves is what gets published."""
    image = uploaded_image(komunikasi)
    story = make_story("Cerita diajukan", people=[featured], hero_image=image)
    story.get_workflow().start(story, komunikasi)
    image.refresh_from_db()
    assert image.collection.name == LOCKED
    original = image.file.name
    replace_image(client, komunikasi, image)
    image.refresh_from_db()
    assert image.file.name == original


def test_legacy_images_in_the_root_collection_are_locked_too(client, komunikasi):
    image = uploaded_image(komunikasi, collection=None)
    original = image.file.name
    replace_image(client, komunikasi, image)
    image.refresh_from_db()
    assert image.file.name == original


def test_tim_komunikasi_still_uploads_and_edits_drafts_and_moderators_edit_locked_ones(
    client, komunikasi, moderator, make_story, featured
):
    client.force_login(komunikasi)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Foto baru", "file": upload("baru.png"), "tags": "", "alt": ""},
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    draft_image = Image.objects.get(title="Foto baru")
    assert draft_image.collection.name == UPLOADS
    response = replace_image(client, komunikasi, draft_image)
    assert response.status_code == HTTPStatus.FOUND
    draft_image.refresh_from_db()
    assert draft_image.title == "Foto diganti"  # not used by any page yet: theirs to change

    make_story("Cerita foto", people=[featured], live=True, consented=True, hero_image=draft_image)
    draft_image.refresh_from_db()
    assert draft_image.collection.name == LOCKED
    replace_image(client, moderator, draft_image)
    draft_image.refresh_from_db()
    assert draft_image.file.name.startswith("original_images/ganti")


def test_tim_komunikasi_cannot_replace_a_document_used_by_a_live_page(
    client, komunikasi, make_story, featured
):
    document = Document.objects.create(
        title="Laporan",
        file=ContentFile(b"%PDF-1.4 laporan", name="laporan.pdf"),
        uploaded_by_user=komunikasi,
        collection=Collection.objects.get(name=UPLOADS),
    )
    body = f'<p>Unduh <a linktype="document" id="{document.pk}">laporan</a>.</p>'
    story = make_story("Cerita berdokumen", people=[featured], body_text="x")
    draft = story.get_latest_revision_as_object()
    draft.body = [("paragraph", RichText(body))]
    revision = draft.save_revision(user=komunikasi)
    story.get_workflow().start(story, komunikasi)
    consent_as(client, featured, story.current_workflow_task_state.consent_requests.get())
    revision.publish()
    document.refresh_from_db()
    assert document.collection.name == LOCKED
    client.force_login(komunikasi)
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Laporan palsu",
            "file": SimpleUploadedFile("palsu.pdf", b"%PDF-1.4 palsu"),
            "collection": document.collection_id,
            "tags": "",
        },
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    document.refresh_from_db()
    assert document.title == "Laporan"
