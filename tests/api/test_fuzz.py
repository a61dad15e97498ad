"""Schemathesis (a tool we did not write) against the live app through WSGI: every operation,
with a token and with a browser session; no server error, no response outside the schema, no
refused-by-schema input accepted. Kept to a few dozen examples per operation (CI time)."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck
from hypothesis import settings as hsettings

from portal.wsgi import application
from tests.factories import UserFactory
from tests.performance.factories import make_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_connection")]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

FUZZ = hsettings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture
def credentials(request, make_token, client, settings):
    """The two kinds of caller, by the test's parameter."""
    settings.PORTAL_API_RATE_FACTOR = 1000
    make_cycle()
    if request.param == "token":
        _token, secret = make_token()
        return {"Authorization": f"Bearer {secret}"}
    client.force_login(UserFactory())
    return {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    }


@pytest.mark.parametrize("credentials", ["token", "session"], indirect=True)
@schema.parametrize()
@FUZZ
def test_api_keeps_its_schema(case, credentials):
    # Every check but "schema-valid request accepted": a NIP can have 18 digits and still be
    # refused (the birth date in it, the month of TMT), as can an unknown parent unit; those
    # are the import's rules, answered 422 in its words, not something a schema can say.
    case.call_and_validate(
        headers=credentials, excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
