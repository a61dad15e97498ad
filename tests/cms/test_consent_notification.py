"""Issue 15.11: a consent request reaches the featured employee's notification list."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from cms.models import ConsentRequest
from portal.notifications import Notification

from .test_workflow import submitted  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_submitting_a_story_notifies_the_featured_employee(client, submitted, featured):  # noqa: F811
    consent_request = ConsentRequest.objects.get(page=submitted)
    note = Notification.objects.get(recipient=featured)
    assert note.url == reverse("cms:consent", args=[consent_request.pk])
    assert "Cerita kolaborasi" in note.message
    client.force_login(featured)
    page = client.get(reverse("portal:notifications"))
    assert page.status_code == HTTPStatus.OK
    assert note.url in page.content.decode()


def test_answering_the_consent_request_settles_its_notification(client, submitted, featured):  # noqa: F811
    from portal.notifications import unread_count

    consent_request = ConsentRequest.objects.get(page=submitted)
    assert unread_count(featured) == 1
    client.force_login(featured)
    response = client.post(
        reverse("cms:consent", args=[consent_request.pk]), {"decision": "setuju"}
    )
    assert response.status_code < 400
    note = Notification.objects.get(recipient=featured)
    assert note.read_at is not None
    assert unread_count(featured) == 0
