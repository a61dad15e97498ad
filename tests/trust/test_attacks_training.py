"""Issue 14.7: a Moderator Konten alone could mint certificates, JP and points.

Each test performs the attack over HTTP as the moderator (or the employee who profits) would,
and checks the state afterwards: no live page, no JP, no points beyond the caps.
"""

import uuid
from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from leaderboard.models import PointEntry
from portal.models import MODERATOR_KONTEN, TIM_KOMUNIKASI
from tests.factories import UserFactory
from tests.training.factories import correct_answers, make_module, single
from training import services
from training.editorial import ensure_editorial_setup, ensure_training_index
from training.models import Certificate, ModuleConfirmation, TrainingModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    index = ensure_training_index(django_apps)
    ensure_editorial_setup(django_apps)
    return index


@pytest.fixture
def moderator(catalogue):
    return UserFactory(groups=[MODERATOR_KONTEN])


@pytest.fixture
def writer(catalogue):
    return UserFactory(groups=[TIM_KOMUNIKASI])


def module_form(slug: str, jp: int, action: str, **extra) -> dict:
    data = nested_form_data(
        {
            "title": f"Modul {slug}",
            "slug": slug,
            "summary": "Ringkasan.",
            "minutes": 10,
            "jp_hours": jp,
            "mandatory": "on",
            "pass_mark": 50,
            "attempt_limit": 3,
            "quiz": streamfield(
                [
                    (
                        "single_choice",
                        {
                            "question": "Benar?",
                            "choices": streamfield(
                                [
                                    ("item", {"text": "Ya", "is_correct": "on"}),
                                    ("item", {"text": "Tidak"}),
                                ]
                            ),
                            "explanation": "Penjelasan.",
                        },
                    )
                ]
            ),
            action: "1",
            **extra,
        }
    )
    return data


def add_url(catalogue) -> str:
    return reverse("wagtailadmin_pages:add", args=("training", "trainingmodulepage", catalogue.pk))


def approve_url(page) -> str:
    page = Page.objects.get(pk=page.pk)
    state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])


def test_moderator_cannot_publish_a_module_of_40_jp(client, moderator, catalogue):
    client.force_login(moderator)
    response = client.post(add_url(catalogue), module_form("empat-puluh", 40, "action-publish"))
    assert response.status_code == HTTPStatus.OK
    assert "JP satu modul paling banyak 8" in response.content.decode()
    assert not TrainingModulePage.objects.filter(slug="empat-puluh").exists()


def test_moderator_cannot_publish_own_module_directly(client, moderator, catalogue):
    client.force_login(moderator)
    response = client.post(add_url(catalogue), module_form("langsung", 4, "action-publish"))
    # Wagtail turns the refusal (PermissionDenied) into a redirect with its error message.
    assert response.status_code == HTTPStatus.FOUND
    assert not TrainingModulePage.objects.live().filter(slug="langsung").exists()


def test_moderator_cannot_approve_own_submission(client, moderator, catalogue):
    client.force_login(moderator)
    response = client.post(add_url(catalogue), module_form("sendiri", 4, "action-submit"))
    assert response.status_code == HTTPStatus.FOUND
    page = TrainingModulePage.objects.get(slug="sendiri")
    client.post(approve_url(page), {"comment": ""})
    page.refresh_from_db()
    assert not page.live
    # The refusal rolled the approval back: the workflow still waits for another moderator.
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_moderator_cannot_approve_after_editing_the_writers_submission(
    client, moderator, writer, catalogue
):
    client.force_login(writer)
    client.post(add_url(catalogue), module_form("tulisan", 2, "action-submit"))
    page = TrainingModulePage.objects.get(slug="tulisan")
    # The moderator raises the JP in a revision of their own, then approves.
    revision = page.get_latest_revision_as_object()
    revision.jp_hours = 8
    revision.save_revision(user=moderator)
    client.force_login(moderator)
    client.post(approve_url(page), {"comment": ""})
    page.refresh_from_db()
    assert not page.live


def test_bulk_publish_of_own_draft_by_a_moderator_is_refused(client, moderator, catalogue):
    client.force_login(moderator)
    client.post(add_url(catalogue), module_form("massal", 4, "action-save-draft"))
    page = TrainingModulePage.objects.get(slug="massal")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{url}?id={page.pk}&next=/admin/", {})
    page.refresh_from_db()
    assert not page.live


def test_the_editor_offers_no_publish_button_on_training_pages(client, moderator, catalogue):
    client.force_login(moderator)
    html = client.get(add_url(catalogue)).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_four_eyes_publish_grants_nothing_until_admin_bkpsdm_confirms(
    client, moderator, writer, catalogue, employee
):
    """The writer submits 8 JP, another person (the moderator) approves: the page is live, but
    its JP, "wajib" and points wait for Admin BKPSDM."""
    client.force_login(writer)
    client.post(add_url(catalogue), module_form("empat-mata", 8, "action-submit"))
    page = TrainingModulePage.objects.get(slug="empat-mata")
    client.force_login(moderator)
    response = client.post(approve_url(page), {"comment": ""})
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.live and page.mandatory
    # An unconfirmed "wajib" does not gate the first report.
    assert Certificate.objects.has_completed_mandatory(employee)

    client.force_login(employee)
    response = client.get(reverse("training:quiz", args=[page.pk]))
    token = response.content.decode().split('name="token" value="')[1].split('"')[0]
    answers = {f"q-{qid}": tokens for qid, tokens in correct_answers(page).items()}
    client.post(reverse("training:quiz", args=[page.pk]), {"token": token, **answers})
    certificate = Certificate.objects.get(user=employee, module=page)
    assert certificate.jp == 0
    assert not PointEntry.objects.filter(user=employee).exists()

    # The moderator cannot confirm it; Admin BKPSDM can, and then the JP and points follow.
    client.force_login(moderator)
    url = reverse("training:confirm_module", args=[page.pk])
    response = client.post(url, {"jp": "8", "mandatory": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ModuleConfirmation.objects.exists()


def test_many_confirmed_modules_do_not_farm_points(employee, catalogue, settings):
    settings.TRAINING_POINTS_PER_MODULE = 50
    settings.TRAINING_POINTS_MAX_PER_YEAR = 100
    for _ in range(3):
        module = make_module(catalogue, lessons=1, quiz=[single("q", "Benar?", ["Ya*", "Tidak"])])
        for lesson in module.lessons():
            services.complete_lesson(user=employee, lesson=lesson)
        services.submit_quiz(
            user=employee, module=module, answers=correct_answers(module), token=uuid.uuid4()
        )
    assert Certificate.objects.filter(user=employee).count() == 3
    assert sum(PointEntry.objects.filter(user=employee).values_list("points", flat=True)) == 100
