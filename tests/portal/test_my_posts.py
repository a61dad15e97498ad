"""Everyone reads their own post history (issue 17): assignments with their SK, acting
appointments, the rater designated for them and who rates them today, read-only."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.staffing.services import designate_rater, record_acting
from tests.portal.staffing_world import DAY, build_world, post, today

pytestmark = pytest.mark.django_db
URL = "/beranda/riwayat-jabatan/"


@pytest.fixture
def world():
    return build_world()


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_a_transferred_employee_reads_both_posts_and_the_new_rater(world, client):
    post(world.staff, world.badan, world.kaban, start=today(), sk_number="821/9-BKPSDM")
    client.force_login(world.staff)
    page = client.get(URL).content.decode()
    assert "Bidang Uji Staffing" in page and "Badan Uji Staffing" in page  # old and new post
    assert "800/1-BKPSDM" in page and "821/9-BKPSDM" in page
    rater = page[page.index('data-testid="penilai-saya"') :]
    assert rater[: rater.index("</p>")].startswith('data-testid="penilai-saya">Kaban Uji')
    assert "Analis Uji" not in page  # only my own record


def test_a_head_without_atasan_reads_the_designated_rater(world, client):
    designate_rater(
        actor=world.admin,
        person=world.kaban,
        rater=None,
        external_rater="Wali Kota Bandung",
        document_ref="800/12-SETDA",
        start=today(),
    )
    client.force_login(world.kaban)
    page = client.get(URL).content.decode()
    assert "Wali Kota Bandung, dicatat oleh Admin BKPSDM" in page
    assert "800/12-SETDA" in page


def test_an_acting_appointment_is_listed(world, client):
    record_acting(
        actor=world.admin,
        person=world.kabid,
        kind="plh",
        org_unit=world.badan,
        start=today(),
        end=today() + 30 * DAY,
        sk_number="821/3-PLT",
    )
    client.force_login(world.kabid)
    page = client.get(URL).content.decode()
    assert "821/3-PLT" in page


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == HTTPStatus.OK
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_history(world, client):
    _queries(client, world.analis)  # the first request fills the per-process caches
    few = _queries(client, world.analis)
    for n in range(1, 6):
        post(world.analis, world.dinas if n % 2 else world.badan, world.kadis if n % 2 else world.kaban,
             start=today() - (40 - n) * DAY, sk_number=f"821/{n}")  # fmt: skip
    assert _queries(client, world.analis) == few
