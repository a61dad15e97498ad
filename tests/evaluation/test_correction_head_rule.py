"""A correction by Admin BKPSDM does not override the special rule (local choice, README): the
head of an OPD keeps the rating of hasil kerja the OPD's capaian gives; the perilaku kerja may
be corrected, with its reason and document kept."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance.models import AnnualRating, RecordVersion
from performance.services import corrections, evaluation
from tests.performance.factories import make_skp

from .conftest import give_leader, set_capaian

pytestmark = pytest.mark.django_db

DOCUMENTED = {"reason": "Salah input nilai", "document_ref": "800/123/BKPSDM/2026"}


@pytest.fixture
def head_rating(unit):
    give_leader(unit)
    skp = make_skp(unit.head, unit.skps[0].cycle)
    set_capaian(unit, "baik")  # Baik -> Sesuai Ekspektasi
    return evaluation.rate_annual(
        actor=unit.leader, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )


def test_a_correction_may_not_change_the_heads_hasil_kerja(unit, head_rating, bkpsdm_admin):
    versions = RecordVersion.objects.count()
    with pytest.raises(ValidationError) as info:
        corrections.correct_annual_rating(
            actor=bkpsdm_admin,
            skp=head_rating.skp,
            hasil_kerja="di_atas",
            perilaku_kerja="di_atas",
            **DOCUMENTED,
        )
    message = info.value.message_dict["hasil_kerja"][0]
    assert unit.opd.name in message and "Baik" in message and "Sesuai Ekspektasi" in message
    head_rating.refresh_from_db()
    assert (head_rating.rating_hasil_kerja, head_rating.predikat) == ("sesuai", "baik")
    assert RecordVersion.objects.count() == versions  # nothing saved


def test_the_heads_perilaku_is_corrected_with_the_rule_kept(unit, head_rating, bkpsdm_admin):
    rating = corrections.correct_annual_rating(
        actor=bkpsdm_admin,
        skp=head_rating.skp,
        hasil_kerja="sesuai",
        perilaku_kerja="di_bawah",
        **DOCUMENTED,
    )
    assert (rating.rating_hasil_kerja, rating.predikat) == ("sesuai", "kurang_misconduct")
    version = RecordVersion.objects.filter(via=RecordVersion.Via.KOREKSI).get()
    assert (version.reason, version.document_ref) == tuple(DOCUMENTED.values())
    assert version.employee == unit.head


def test_staff_ratings_are_corrected_freely(unit, head_rating, bkpsdm_admin):
    skp = unit.skps[0]
    evaluation.rate_annual(
        actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    rating = corrections.correct_annual_rating(
        actor=bkpsdm_admin, skp=skp, hasil_kerja="di_atas", perilaku_kerja="di_atas", **DOCUMENTED
    )
    assert rating.predikat == "sangat_baik"


def test_the_correction_page_says_so_and_keeps_what_was_typed(
    unit, head_rating, bkpsdm_admin, client_for
):
    url = reverse("performance:correct_rating", args=[head_rating.skp_id])
    response = client_for(bkpsdm_admin).post(
        url,
        {
            "nilai-hasil_kerja": "di_atas",
            "nilai-perilaku_kerja": "di_atas",
            "nilai-reason": DOCUMENTED["reason"],
            "nilai-document_ref": DOCUMENTED["document_ref"],
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "mengikuti capaian kinerja" in html and DOCUMENTED["document_ref"] in html
    assert AnnualRating.objects.get(pk=head_rating.pk).rating_hasil_kerja == "sesuai"
