"""The register import's "akhiri penugasan pegawai yang tidak ada di berkas" (issue 17): a dry
run lists who is not in the file, nothing written; the confirmation ends their assignments
(source "impor"), deletes nobody and leaves their accounts active."""

import datetime as dt
from http import HTTPStatus
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator

from portal import authority
from portal.models import ADMIN_BKPSDM, OrgUnit, User
from portal.services import import_employees, read_register
from portal.staffing import Assignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "contoh-data-pegawai.csv"


@pytest.fixture
def retired():
    unit = OrgUnit.objects.get(code="dinas-perhubungan")
    return UserFactory(org_unit=unit, full_name="Pegawai Pensiun", jabatan="Staf")


def rows():
    return read_register(SAMPLE.read_bytes(), "register.csv")


def test_a_dry_run_lists_who_is_not_in_the_file_and_writes_nothing(retired):
    unitless = UserFactory(org_unit=None)
    result = import_employees(rows=rows(), dry_run=True, end_missing=True)
    assert result.ok
    assert retired in result.ended and unitless not in result.ended
    assert not Assignment.objects.exists()
    retired.refresh_from_db()
    assert retired.org_unit is not None


def test_the_import_ends_the_assignments_of_people_not_in_the_file(retired):
    result = import_employees(rows=rows(), end_missing=True)
    assert result.ok and [p.pk for p in result.ended] == [retired.pk]
    row = Assignment.objects.get(person=retired)
    assert row.end == authority.today() - dt.timedelta(days=1)
    assert row.source == Assignment.Source.MIGRASI  # the snapshot row, ended by the import
    retired.refresh_from_db()
    assert retired.org_unit is None and retired.is_active  # not deleted, not deactivated
    assert authority.assignment_on(retired) is None


def test_without_the_option_nobody_is_ended(retired):
    result = import_employees(rows=rows())
    assert result.ended == []
    retired.refresh_from_db()
    assert retired.org_unit is not None


@pytest.fixture
def bkpsdm_client(client):
    admin = UserFactory(groups=[ADMIN_BKPSDM], org_unit=None)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    return client


def test_the_import_page_asks_before_ending_and_then_ends(bkpsdm_client, retired):
    with SAMPLE.open("rb") as handle:
        response = bkpsdm_client.post(
            "/admin/pegawai/impor/", {"file": handle, "end_missing": "on"}
        )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "tidak ada di berkas akan diakhiri" in page
    assert retired.nip in page and "Pegawai Pensiun" in page and "Dinas Perhubungan" in page
    retired.refresh_from_db()
    assert retired.org_unit is not None  # nothing yet
    response = bkpsdm_client.post("/admin/pegawai/impor/", {"action": "confirm"}, follow=True)
    assert "Penempatan 1 pegawai yang tidak ada di berkas diakhiri" in response.content.decode()
    retired.refresh_from_db()
    assert retired.org_unit is None and User.objects.filter(pk=retired.pk).exists()
    entry = retired.audit_entries.get(kind="assignment_ended")
    assert entry.source == "import" and "register" in entry.note
