import uuid

import pytest
from django.core.exceptions import ValidationError

from leaderboard.models import ALL_TIME, PointEntry, Score
from tests.factories import UserFactory
from training import services
from training.models import Certificate, Enrollment, LessonCompletion, QuizAttempt
from training.progress import jp_this_year, module_progress

from .factories import correct_answers, make_module, multiple, single, wrong_answers

pytestmark = pytest.mark.django_db


def finish_lessons(user, module):
    for lesson in module.lessons():
        services.complete_lesson(user=user, lesson=lesson)


def submit(user, module, answers, token=None):
    return services.submit_quiz(
        user=user, module=module, answers=answers, token=token or uuid.uuid4()
    )


# --- grading ---------------------------------------------------------------------------------


@pytest.fixture
def mixed_module(training_index):
    return make_module(
        training_index,
        lessons=0,
        quiz=[
            single("a", "Pilih dua", ["satu", "dua*", "tiga"]),
            multiple("b", "Pilih yang genap", ["2*", "3", "4*", "5"]),
        ],
        pass_mark=100,
    )


def test_single_choice_is_correct_only_with_the_correct_choice(mixed_module):
    single_q = mixed_module.questions()[0]
    right = {q.id: sorted(q.correct_tokens) for q in mixed_module.questions()}
    assert services.grade(mixed_module.questions(), right) == 2
    wrong = {**right, single_q.id: [single_q.choices[0].token]}
    assert services.grade(mixed_module.questions(), wrong) == 1


def test_multiple_choice_needs_exactly_the_correct_set(mixed_module):
    single_q, multi_q = mixed_module.questions()
    two, three, four, _five = (c.token for c in multi_q.choices)
    base = {single_q.id: sorted(single_q.correct_tokens)}
    assert services.grade(mixed_module.questions(), {**base, multi_q.id: [two, four]}) == 2
    assert services.grade(mixed_module.questions(), {**base, multi_q.id: [two]}) == 1
    assert services.grade(mixed_module.questions(), {**base, multi_q.id: [two, three, four]}) == 1


def test_single_choice_refuses_two_answers(mixed_module):
    single_q, multi_q = mixed_module.questions()
    answers = {
        single_q.id: [c.token for c in single_q.choices[:2]],
        multi_q.id: sorted(multi_q.correct_tokens),
    }
    with pytest.raises(ValidationError, match="hanya boleh satu"):
        services.grade(mixed_module.questions(), answers)


def test_foreign_answer_ids_are_refused(mixed_module):
    single_q, multi_q = mixed_module.questions()
    # A token of the other question is foreign here, even though it is a real token.
    answers = {single_q.id: [multi_q.choices[0].token], multi_q.id: sorted(multi_q.correct_tokens)}
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.grade(mixed_module.questions(), answers)


def test_missing_answers_are_refused(mixed_module):
    single_q, _multi = mixed_module.questions()
    with pytest.raises(ValidationError, match="harus dijawab"):
        services.grade(mixed_module.questions(), {single_q.id: sorted(single_q.correct_tokens)})


@pytest.mark.parametrize(
    ("correct", "total", "pass_mark", "expected"),
    [
        (4, 5, 80, True),  # exactly at the mark
        (3, 5, 80, False),
        (2, 3, 67, False),  # 66.67 % < 67 %
        (2, 3, 66, True),
        (5, 6, 83, True),  # 83.33 %
        (5, 6, 84, False),
        (6, 6, 100, True),
        (0, 6, 1, False),
        (0, 0, 50, False),
    ],
)
def test_pass_mark_edges(correct, total, pass_mark, expected):
    assert services.passes(correct=correct, total=total, pass_mark=pass_mark) is expected


# --- lessons -----------------------------------------------------------------------------------


def test_lessons_unlock_in_order(employee, module, lessons):
    with pytest.raises(ValidationError, match="terkunci"):
        services.complete_lesson(user=employee, lesson=lessons[1])
    assert not LessonCompletion.objects.exists()
    services.complete_lesson(user=employee, lesson=lessons[0])
    services.complete_lesson(user=employee, lesson=lessons[1])
    states = module_progress(employee, module).lessons
    assert [(s.done, s.unlocked) for s in states] == [(True, True), (True, True), (False, True)]


def test_lessons_can_be_taken_in_any_order_when_configured(employee, training_index):
    module = make_module(training_index, lessons=3, lessons_in_order=False)
    last = list(module.lessons())[-1]
    services.complete_lesson(user=employee, lesson=last)
    assert LessonCompletion.objects.filter(user=employee, lesson=last).exists()


def test_completing_a_lesson_twice_records_it_once(employee, module, lessons):
    services.complete_lesson(user=employee, lesson=lessons[0])
    services.complete_lesson(user=employee, lesson=lessons[0])
    assert LessonCompletion.objects.filter(user=employee).count() == 1
    assert Enrollment.objects.filter(user=employee, module=module).count() == 1


def test_prerequisite_locks_every_lesson_until_its_certificate(employee, training_index, module):
    follow_up = make_module(training_index, lessons=1, prerequisite=module)
    first = list(follow_up.lessons())[0]
    with pytest.raises(ValidationError):
        services.complete_lesson(user=employee, lesson=first)
    finish_lessons(employee, module)
    submit(employee, module, correct_answers(module))
    services.complete_lesson(user=employee, lesson=first)
    # no quiz in the follow-up: its last lesson completes it
    assert Certificate.objects.filter(user=employee, module=follow_up).exists()


# --- quiz attempts ------------------------------------------------------------------------------


def test_quiz_is_closed_until_every_lesson_is_done(employee, module, lessons):
    services.complete_lesson(user=employee, lesson=lessons[0])
    with pytest.raises(ValidationError, match="semua pelajaran"):
        submit(employee, module, correct_answers(module))
    assert not QuizAttempt.objects.exists()


def test_attempt_limit_is_enforced_without_counting_the_refused_one(employee, module):
    finish_lessons(employee, module)
    assert module.attempt_limit == 2
    first = submit(employee, module, wrong_answers(module))
    second = submit(employee, module, wrong_answers(module))
    assert (first.passed, second.passed) == (False, False)
    with pytest.raises(ValidationError, match="Percobaan putaran ini sudah habis"):
        submit(employee, module, correct_answers(module))
    assert QuizAttempt.objects.filter(user=employee).count() == 2
    assert not Certificate.objects.exists()


def test_resubmitted_form_is_not_counted_again(employee, module):
    finish_lessons(employee, module)
    token = uuid.uuid4()
    first = submit(employee, module, wrong_answers(module), token=token)
    with pytest.raises(services.DuplicateSubmission) as caught:
        submit(employee, module, correct_answers(module), token=token)
    assert caught.value.attempt == first
    assert QuizAttempt.objects.count() == 1


def test_bad_answers_record_no_attempt(employee, module):
    finish_lessons(employee, module)
    questions = module.questions()
    with pytest.raises(ValidationError):
        submit(employee, module, {questions[0].id: ["bukan-token"]})
    assert not QuizAttempt.objects.exists()


def test_no_attempt_after_passing(employee, module):
    finish_lessons(employee, module)
    assert submit(employee, module, correct_answers(module)).passed
    with pytest.raises(ValidationError, match="sudah lulus"):
        submit(employee, module, correct_answers(module))
    assert QuizAttempt.objects.count() == 1


def test_attempt_records_score_and_answers(employee, module):
    finish_lessons(employee, module)
    q1, q2 = module.questions()
    answers = {q1.id: sorted(q1.correct_tokens), q2.id: [q2.choices[1].token]}
    attempt = submit(employee, module, answers)
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (1, 2, 50)
    assert attempt.passed  # pass mark 50 %
    assert attempt.answers == answers


# --- completion ----------------------------------------------------------------------------------


def test_passing_completes_the_module_once_with_points_and_jp(
    employee, module, settings, django_capture_on_commit_callbacks
):
    settings.TRAINING_POINTS_PER_MODULE = 40
    finish_lessons(employee, module)
    with django_capture_on_commit_callbacks(execute=True):
        submit(employee, module, correct_answers(module))
        certificate = Certificate.objects.get(user=employee, module=module)
        again = services.complete_module(user=employee, module=module)
    assert again == certificate
    assert Certificate.objects.count() == 1
    entry = PointEntry.objects.get(user=employee)
    assert entry.points == 40
    assert entry.reason == PointEntry.Reason.MODULE_COMPLETED
    assert entry.key == f"module:{module.pk}:user:{employee.pk}"
    assert Score.objects.get(user=employee, season=ALL_TIME).total == 40
    assert certificate.jp == module.jp_hours == 3
    assert jp_this_year(employee) == 3
    assert (certificate.holder_name, certificate.holder_nip) == (employee.full_name, employee.nip)
    assert Enrollment.objects.get(user=employee, module=module).completed_at is not None


def test_complete_module_requires_a_passed_quiz(employee, module):
    finish_lessons(employee, module)
    with pytest.raises(ValidationError, match="Lulus kuis"):
        services.complete_module(user=employee, module=module)
    assert not Certificate.objects.exists()
    assert not PointEntry.objects.exists()


def test_certificate_codes_are_unique_and_unguessable(training_index):
    module = make_module(training_index, lessons=1)
    codes = set()
    for _ in range(5):
        user = UserFactory()
        finish_lessons(user, module)
        codes.add(Certificate.objects.get(user=user, module=module).code)
    assert len(codes) == 5
    assert all(len(code) == 16 and code.isalnum() and code.isupper() for code in codes)


# --- the gate for the performance app ------------------------------------------------------------


def test_gate_is_true_when_there_are_no_mandatory_modules(employee, module):
    assert not module.mandatory
    assert Certificate.objects.has_completed_mandatory(employee) is True


def test_gate_needs_every_live_mandatory_module(employee, training_index):
    first = make_module(training_index, lessons=1, mandatory=True)
    second = make_module(training_index, lessons=1, mandatory=True)
    make_module(training_index, lessons=1, mandatory=True, live=False)  # drafts don't count
    make_module(training_index, lessons=1)  # optional ones don't count
    assert Certificate.objects.has_completed_mandatory(employee) is False
    finish_lessons(employee, first)
    assert Certificate.objects.has_completed_mandatory(employee) is False
    finish_lessons(employee, second)
    assert Certificate.objects.has_completed_mandatory(employee) is True
    # another person's certificates never open my gate
    assert Certificate.objects.has_completed_mandatory(UserFactory()) is False


def test_gate_is_one_query(employee, training_index, django_assert_num_queries):
    for _ in range(3):
        make_module(training_index, lessons=1, mandatory=True)
    with django_assert_num_queries(1):
        Certificate.objects.has_completed_mandatory(employee)
