"""The kept versions of a person's records (`RecordVersion` about them) are in their personal
data export (/beranda/data-saya/), with who changed what, when, why and on which document."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.services import corrections, evaluation
from portal.privacy import personal_data

pytestmark = pytest.mark.django_db

DOCUMENTED = {"reason": "Salah input nilai", "document_ref": "800/123/BKPSDM/2026"}


def versions(user):
    return personal_data(user)["sections"]["performance"]["record_versions"]


def test_my_rating_versions_and_their_correction_are_in_my_file(unit, bkpsdm_admin):
    employee, skp = unit.staff[0], unit.skps[0]
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="di_atas", perilaku_kerja="di_atas"
    )
    corrections.correct_annual_rating(
        actor=bkpsdm_admin, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai", **DOCUMENTED
    )
    first, correction = versions(employee)
    assert first["kind"] == "penilaian_tahunan" and first["old"] is None
    assert first["by"] == unit.penilai.full_name and first["year"] == skp.cycle.year
    assert correction["via"] == "koreksi" and correction["by"] == bkpsdm_admin.full_name
    assert correction["old"]["predikat"] == "sangat_baik"
    assert correction["new"]["predikat"] == "baik"
    assert (correction["reason"], correction["document_ref"]) == tuple(DOCUMENTED.values())
    assert versions(unit.staff[1]) == []  # nobody else's
    assert versions(unit.penilai) == []  # the rater's file holds no version about the employee


def test_the_download_carries_them_and_stays_flat(unit, client_for):
    employee, skp = unit.staff[0], unit.skps[0]

    def rate(hasil):
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja=hasil, perilaku_kerja="sesuai"
        )

    rate("di_atas")
    with CaptureQueriesContext(connection) as few:
        personal_data(employee)
    for hasil in ["sesuai", "di_bawah", "di_atas", "sesuai"]:
        rate(hasil)
    with CaptureQueriesContext(connection) as many:
        personal_data(employee)
    assert len(many) == len(few)
    response = client_for(employee).get(reverse("portal:personal_data"))
    data = json.loads(response.content)
    assert len(data["sections"]["performance"]["record_versions"]) == 5
