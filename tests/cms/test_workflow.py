"""The "Publikasi Cerita" workflow: submit -> each featured employee consents -> moderator."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import ConsentRequest, ConsentTask, SuccessStoryPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def story_form(title: str, people, **extra) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": extra.pop("slug", "cerita-uji"),
            "intro": "Pengantar cerita uji",
            "body": streamfield([("paragraph", rich_text("<p>Kata unik: gotongroyong.</p>"))]),
            "tags": "Bandung Smart City",
            "featured_employees": inline_formset([{"user": p.pk, "role": ""} for p in people]),
            "related_story_links": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )
    data["berakhlak_values"] = ["kolaboratif"]
    return data


@pytest.fixture
def submitted(client, komunikasi, featured, story_index):
    """A story written and submitted by Tim Komunikasi through the Wagtail admin."""
    client.force_login(komunikasi)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    response = client.post(
        url, story_form("Cerita kolaborasi", [featured], **{"action-submit": "1"})
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    client.logout()
    return SuccessStoryPage.objects.get(slug="cerita-uji")


def consent_as(client, user, consent_request, decision="setuju", comment=""):
    client.force_login(user)
    response = client.post(
        reverse("cms:consent", args=[consent_request.pk]),
        {"decision": decision, "comment": comment},
    )
    client.logout()
    return response


def moderate(client, user, story, action="approve", comment=""):
    client.force_login(user)
    task_state = story.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, action, task_state.pk])
    response = client.post(url, {"comment": comment})
    client.logout()
    return response


def test_tim_komunikasi_cannot_publish_by_itself(client, komunikasi, featured, story_index):
    client.force_login(komunikasi)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    client.post(url, story_form("Cerita langsung", [featured], **{"action-publish": "1"}))
    assert not SuccessStoryPage.objects.filter(live=True).exists()
    assert not story_index.permissions_for_user(komunikasi).can_publish_subpage()
    assert story_index.permissions_for_user(komunikasi).can_add_subpage()


def test_moderator_may_publish_but_not_around_missing_consent(
    client, moderator, featured, story_index
):
    assert story_index.permissions_for_user(moderator).can_publish_subpage()
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    response = client.post(url, story_form("Cerita pintas", [featured], **{"action-publish": "1"}))
    assert response.status_code == HTTPStatus.OK
    assert "belum semua pegawai yang ditampilkan" in response.content.decode()
    assert not SuccessStoryPage.objects.filter(live=True).exists()


def test_submission_asks_the_featured_employee_on_their_beranda(client, submitted, featured):
    assert submitted.current_workflow_task.specific.__class__ is ConsentTask
    consent_request = ConsentRequest.objects.get(page=submitted)
    assert consent_request.user == featured and consent_request.status == "pending"
    client.force_login(featured)
    content = client.get("/beranda/").content.decode()
    assert "Persetujuan cerita" in content
    assert "Cerita kolaborasi" in content
    assert reverse("cms:consent", args=[consent_request.pk]) in content


def test_end_to_end_consent_then_moderation_then_live(client, submitted, featured, moderator):
    consent_request = ConsentRequest.objects.get(page=submitted)
    response = consent_as(client, featured, consent_request, "setuju")
    assert response.status_code == HTTPStatus.FOUND
    submitted.refresh_from_db()
    assert submitted.current_workflow_task.name == "Persetujuan Moderator Konten"
    assert any(moderator.email in m.to for m in mail.outbox)  # moderators are told

    response = moderate(client, moderator, submitted, "approve", "Bagus")
    assert response.status_code == HTTPStatus.FOUND
    submitted.refresh_from_db()
    assert submitted.live
    listing = client.get("/cerita/").content.decode()
    assert "Cerita kolaborasi" in listing
    page = client.get(submitted.url).content.decode()
    assert featured.full_name in page  # shown because they consented


def test_a_decline_sends_the_story_back_with_the_comment(client, submitted, featured, komunikasi):
    consent_request = ConsentRequest.objects.get(page=submitted)
    mail.outbox.clear()
    consent_as(client, featured, consent_request, "tolak", "Nama saya salah eja")
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "Nama saya salah eja" in state.current_task_state.comment
    assert [m for m in mail.outbox if komunikasi.email in m.to and "Nama saya salah eja" in m.body]
    client.force_login(komunikasi)
    beranda = client.get("/beranda/").content.decode()
    assert "Nama saya salah eja" in beranda
    # the draft keeps its content
    assert submitted.get_latest_revision_as_object().intro == "Pengantar cerita uji"


def test_a_decline_needs_a_reason_and_keeps_the_form(client, submitted, featured):
    consent_request = ConsentRequest.objects.get(page=submitted)
    client.force_login(featured)
    response = client.post(
        reverse("cms:consent", args=[consent_request.pk]), {"decision": "tolak", "comment": " "}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tuliskan alasan" in response.content.decode()
    consent_request.refresh_from_db()
    assert consent_request.status == "pending"


def test_moderator_rejection_reaches_the_author(client, submitted, featured, moderator, komunikasi):
    consent_as(client, featured, ConsentRequest.objects.get(page=submitted))
    submitted.refresh_from_db()
    mail.outbox.clear()
    moderate(client, moderator, submitted, "reject", "Tambahkan angka capaian")
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [
        m for m in mail.outbox if komunikasi.email in m.to and "Tambahkan angka capaian" in m.body
    ]
    client.force_login(komunikasi)
    assert "Tambahkan angka capaian" in client.get("/beranda/").content.decode()
    submitted.refresh_from_db()
    assert not submitted.live


def test_only_the_featured_employee_can_consent(client, submitted, featured):
    consent_request = ConsentRequest.objects.get(page=submitted)
    someone_else = UserFactory()
    response = consent_as(client, someone_else, consent_request, "setuju")
    assert response.status_code == HTTPStatus.FORBIDDEN
    consent_request.refresh_from_db()
    assert consent_request.status == "pending"
    client.force_login(someone_else)
    assert "Persetujuan cerita" not in client.get("/beranda/").content.decode()


def test_a_moderator_cannot_approve_before_consent(client, submitted, moderator):
    response = moderate(client, moderator, submitted, "approve")
    # Wagtail's admin turns the refusal into a redirect with an error message, never a 500
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    submitted.refresh_from_db()
    assert submitted.current_workflow_task.specific.__class__ is ConsentTask
    assert not submitted.live


def test_a_non_moderator_cannot_approve(client, submitted, featured, komunikasi):
    consent_as(client, featured, ConsentRequest.objects.get(page=submitted))
    submitted.refresh_from_db()
    for user in (komunikasi, featured):
        client.force_login(user)
        response = moderate(client, user, submitted, "approve")
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_submitting_without_featured_employees_gives_a_clear_message(
    client, komunikasi, story_index
):
    client.force_login(komunikasi)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    response = client.post(url, story_form("Cerita sepi", [], **{"action-submit": "1"}))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "tambahkan minimal satu pegawai" in content
    assert "Cerita sepi" in content
    assert not SuccessStoryPage.objects.filter(slug="cerita-uji").exists()


def test_scheduled_publishing_after_approval(client, komunikasi, featured, moderator, story_index):
    client.force_login(komunikasi)
    url = reverse("wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk])
    go_live = timezone.now() + dt.timedelta(days=1)
    data = story_form(
        "Cerita terjadwal",
        [featured],
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        **{"action-submit": "1"},
    )
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    story = SuccessStoryPage.objects.get(slug="cerita-uji")
    consent_as(client, featured, ConsentRequest.objects.get(page=story))
    story.refresh_from_db()
    moderate(client, moderator, story, "approve")
    story.refresh_from_db()
    assert not story.live
    assert story.get_latest_revision().approved_go_live_at is not None
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + dt.timedelta(days=2)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    story.refresh_from_db()
    assert story.live


def test_consent_given_earlier_is_not_asked_again_on_resubmission(
    client, submitted, featured, moderator, komunikasi
):
    consent_as(client, featured, ConsentRequest.objects.get(page=submitted))
    submitted.refresh_from_db()
    moderate(client, moderator, submitted, "reject", "Perbaiki judul")
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    state.resume(user=komunikasi)
    submitted.refresh_from_db()
    assert submitted.current_workflow_task.name == "Persetujuan Moderator Konten"
    assert ConsentRequest.objects.filter(page=submitted).count() == 1


def test_the_consent_page_shows_the_story_as_submitted_to_the_employee_only(
    client, submitted, featured, komunikasi
):
    consent_request = ConsentRequest.objects.get(page=submitted)
    url = reverse("cms:consent", args=[consent_request.pk])
    client.force_login(featured)
    page = client.get(url).content.decode()
    assert "Kata unik: gotongroyong." in page
    assert "Kirim jawaban" in page
    client.force_login(komunikasi)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    consent_as(client, featured, consent_request)
    client.force_login(featured)
    assert "Anda sudah menjawab: setuju" in client.get(url).content.decode()
    # answering twice is a clear message, never a 500
    response = client.post(url, {"decision": "tolak", "comment": "berubah pikiran"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "sudah tidak menunggu jawaban" in response.content.decode()


def test_editors_see_each_employees_consent_status(client, submitted, featured, komunikasi):
    client.force_login(komunikasi)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "Status persetujuan" in edit
    assert "menunggu jawaban" in edit


def test_the_employee_chooser_searches_active_employees_by_name(client, komunikasi, featured):
    from tests.factories import UserFactory

    UserFactory(full_name="Dimas Pensiun", is_active=False)
    client.force_login(komunikasi)
    by_name = client.get("/admin/pegawai-pilih/results/", {"q": "ditampilkan dimas"})
    content = by_name.content.decode()
    assert "Dimas Ditampilkan" in content
    assert featured.jabatan in content
    assert featured.org_unit.name in content
    assert "Dimas Pensiun" not in content


def test_the_employee_chooser_shows_no_nip_or_email_and_never_searches_by_them(
    client, komunikasi, featured
):
    """Tim Komunikasi looks for someone to feature, not for their identifiers."""
    client.force_login(komunikasi)
    listing = client.get("/admin/pegawai-pilih/").content.decode()
    assert "Dimas Ditampilkan" in listing
    assert featured.nip not in listing
    assert featured.email not in listing
    for query in (featured.nip[:10], featured.nip, featured.email, featured.email.split("@")[1]):
        results = client.get("/admin/pegawai-pilih/results/", {"q": query}).content.decode()
        assert "Dimas Ditampilkan" not in results, query  # ("no match for <query>" echoes it)
    chosen = client.get(f"/admin/pegawai-pilih/chosen/{featured.pk}/").json()
    assert featured.nip not in str(chosen)
    assert featured.email not in str(chosen)
    assert "Dimas Ditampilkan" in chosen["result"]["title"]


def test_the_story_editor_names_the_chosen_employee_without_the_nip(
    client, submitted, featured, komunikasi
):
    client.force_login(komunikasi)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[submitted.pk])).content.decode()
    assert "Dimas Ditampilkan" in edit
    assert featured.nip not in edit
