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
