"""Double clicks and parallel tabs: the attempt limit holds (PostgreSQL row locks)."""

import threading
import uuid

import pytest
from django.db import connections

from tests.factories import UserFactory
from training import services
from training.models import QuizAttempt

from .factories import wrong_answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_exceed_the_attempt_limit(module):
    user = UserFactory()
    for lesson in module.lessons():
        services.complete_lesson(user=user, lesson=lesson)
    same_token = uuid.uuid4()
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def submit(token):
        try:
            barrier.wait()
            services.submit_quiz(
                user=user, module=module, answers=wrong_answers(module), token=token
            )
            outcomes.append("ok")
        except services.DuplicateSubmission:
            outcomes.append("duplicate")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    tokens = [same_token, same_token, uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()]
    threads = [threading.Thread(target=submit, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert QuizAttempt.objects.filter(user=user).count() == module.attempt_limit == 2
    assert outcomes.count("ok") == 2
    assert "duplicate" in outcomes or outcomes.count("ValidationError") == 4
    assert set(outcomes) <= {"ok", "duplicate", "ValidationError"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_completions_keep_the_yearly_training_points_cap(
    training_index, settings, monkeypatch
):
    """Issue 14.7: two modules finished at once cannot both pass under the cap.

    The award is slowed down so that, without the lock on the person's row, every thread reads
    the yearly total before any of them has written its points.
    """
    import time

    from leaderboard.models import PointEntry, Score
    from leaderboard.services import ALL_TIME

    real_award = services.award_points

    def slow_award(**kwargs):
        time.sleep(0.5)
        return real_award(**kwargs)

    monkeypatch.setattr(services, "award_points", slow_award)

    from .factories import make_module

    settings.TRAINING_POINTS_PER_MODULE = 50
    settings.TRAINING_POINTS_MAX_PER_YEAR = 50
    user = UserFactory()
    lessons = [next(iter(make_module(training_index, lessons=1).lessons())) for _ in range(3)]
    barrier = threading.Barrier(len(lessons))
    outcomes: list[str] = []

    def finish(lesson):
        try:
            barrier.wait()
            services.complete_lesson(user=user, lesson=lesson)
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish, args=(lesson,)) for lesson in lessons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * len(lessons)
    assert sum(PointEntry.objects.filter(user=user).values_list("points", flat=True)) == 50
    assert Score.objects.get(user=user, season=ALL_TIME).total == 50
