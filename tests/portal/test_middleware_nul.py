"""A NUL in the query string never reaches a database query (PostgreSQL text cannot hold it)."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_nul_is_dropped_from_query_values_and_keys(rf):
    from portal.middleware import StripNulFromQueryMiddleware

    seen = {}

    def view(request):
        seen.update({key: request.GET.getlist(key) for key in request.GET})
        return None

    request = rf.get("/papan/?musim=bu%00lan&lingkup=%00&a%00b=1")
    StripNulFromQueryMiddleware(view)(request)
    assert seen == {"musim": ["bulan"], "lingkup": [""], "ab": ["1"]}


def test_a_query_without_nul_is_left_alone(rf):
    from portal.middleware import StripNulFromQueryMiddleware

    request = rf.get("/papan/?musim=bulan")
    original = request.GET
    StripNulFromQueryMiddleware(lambda r: None)(request)
    assert request.GET is original


def test_board_and_stories_answer_a_nul_filter(client, employee):
    client.force_login(employee)
    assert client.get("/papan/snapshot/?musim=%00&lingkup=%00").status_code == HTTPStatus.OK
    assert client.get("/papan/layar/?k=%00").status_code == HTTPStatus.FORBIDDEN
