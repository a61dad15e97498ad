from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import HomePage
from portal.models import MODERATOR_KONTEN, TIM_KOMUNIKASI
from tests.factories import UserFactory
from training.editorial import WORKFLOW_NAME, ensure_editorial_setup, ensure_training_index
from training.models import LessonPage, TrainingIndexPage, TrainingModulePage

from .factories import make_module

pytestmark = pytest.mark.django_db


# --- page-tree rules (the WagtailPageTestCase assertions, as plain pytest) ---------------------


def allowed_subpages(model) -> set:
    return set(model.allowed_subpage_models())


def test_page_tree_rules(training_index, module, lessons):
    home = HomePage.objects.first()
    assert training_index.get_parent().specific == home
    assert training_index.url == "/pelatihan/"
    assert allowed_subpages(TrainingIndexPage) == {TrainingModulePage}
    assert allowed_subpages(TrainingModulePage) == {LessonPage}
    assert allowed_subpages(LessonPage) == set()
    # can_create_at = assertCanCreateAt / assertCanNotCreateAt
    assert TrainingModulePage.can_create_at(training_index)
    assert LessonPage.can_create_at(module)
    assert not TrainingModulePage.can_create_at(home)
    assert not LessonPage.can_create_at(training_index)
    assert not LessonPage.can_create_at(lessons[0])
    assert not TrainingModulePage.can_create_at(module)
    # one catalogue only
    assert not TrainingIndexPage.can_create_at(home)
    assert not TrainingIndexPage.can_create_at(Page.get_first_root_node())


def test_index_setup_is_idempotent(training_index):
    ensure_editorial_setup(django_apps)
    ensure_editorial_setup(django_apps)
    assert ensure_training_index(django_apps) == training_index
    assert TrainingIndexPage.objects.count() == 1


# --- editorial workflow ---------------------------------------------------------------------------


@pytest.fixture
def writer(editorial):
    return UserFactory(groups=[TIM_KOMUNIKASI])


@pytest.fixture
def moderator(editorial):
    return UserFactory(groups=[MODERATOR_KONTEN])


def test_writers_may_edit_but_not_publish_and_moderators_may_publish(
    editorial, writer, moderator, module
):
    assert editorial.get_workflow().name == WORKFLOW_NAME
    assert module.get_workflow().name == WORKFLOW_NAME
    writer_perms = module.permissions_for_user(writer)
    assert writer_perms.can_edit() and not writer_perms.can_publish()
    assert module.permissions_for_user(moderator).can_publish()
    assert writer.has_perm("wagtailadmin.access_admin")
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert (
        GroupPagePermission.objects.filter(
            page=editorial, group__name=TIM_KOMUNIKASI, permission__codename="publish_page"
        ).count()
        == 0
    )
    task = editorial.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [MODERATOR_KONTEN]


def test_writer_submits_a_module_for_moderation_in_the_admin(client, writer, editorial):
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:add", args=("training", "trainingmodulepage", editorial.pk))
    assert client.get(url).status_code == HTTPStatus.OK
    data = nested_form_data(
        {
            "title": "Modul dari Tim Komunikasi",
            "slug": "modul-tim-komunikasi",
            "summary": "Ringkasan.",
            "minutes": 30,
            "jp_hours": 2,
            "pass_mark": 70,
            "attempt_limit": 3,
            "lessons_in_order": "on",
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
            "action-submit": "Kirim",
        }
    )
    data["berakhlak_values"] = ["kompeten", "adaptif"]  # checkboxes: a list, not nested
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    page = TrainingModulePage.objects.get(slug="modul-tim-komunikasi")
    assert not page.live
    assert page.berakhlak_values == ["kompeten", "adaptif"]
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME


def test_single_choice_question_needs_exactly_one_correct_answer(client, writer, editorial):
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:add", args=("training", "trainingmodulepage", editorial.pk))
    data = nested_form_data(
        {
            "title": "Modul salah",
            "slug": "modul-salah",
            "summary": "Ringkasan.",
            "minutes": 30,
            "jp_hours": 2,
            "pass_mark": 70,
            "attempt_limit": 3,
            "quiz": streamfield(
                [
                    (
                        "single_choice",
                        {
                            "question": "Dua benar?",
                            "choices": streamfield(
                                [
                                    ("item", {"text": "Ya", "is_correct": "on"}),
                                    ("item", {"text": "Juga ya", "is_correct": "on"}),
                                ]
                            ),
                            "explanation": "Penjelasan.",
                        },
                    )
                ]
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert not TrainingModulePage.objects.filter(slug="modul-salah").exists()


# --- preview ---------------------------------------------------------------------------------------


def test_preview_of_module_and_of_a_locked_lesson_works(training_index):
    module = make_module(training_index, lessons=2, live=False)
    lesson = list(LessonPage.objects.child_of(module))[1]
    response = module.make_preview_request()
    assert response.status_code == HTTPStatus.OK
    assert module.title in response.content.decode()
    response = lesson.make_preview_request()
    assert response.status_code == HTTPStatus.OK
    assert "Isi pelajaran 2." in response.content.decode()


def test_lesson_body_renders_callouts(client_for, employee, training_index):
    module = make_module(training_index, lessons=0)
    lesson = LessonPage(
        title="Dengan sorotan",
        slug="dengan-sorotan",
        body=[
            {"type": "text", "value": "<p>Pembuka.</p>"},
            {
                "type": "callout",
                "value": {"kind": "penting", "title": "Ingat", "text": rich_text("<p>Isi.</p>")},
            },
        ],
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    html = client_for(employee).get(lesson.url).content.decode()
    assert "callout-penting" in html and "Ingat" in html and "Pembuka." in html
