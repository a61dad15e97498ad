"""After an annual rating or the capaian organisasi, the page says what comes next (issue 17
walk gaps): the next person the rater still has to rate, how many are left in the OPD, and
finalising once everyone is rated."""

import pytest
from django.urls import reverse

from performance.models import AnnualRating
from performance.services import evaluation
from tests.performance.factories import make_skp

from .conftest import give_leader

pytestmark = pytest.mark.django_db

RATING = {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "note": ""}


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def by_name(unit):
    return sorted(unit.skps, key=lambda skp: (skp.employee.full_name, skp.pk))


def test_after_a_rating_the_rater_is_sent_to_the_next_person(unit, client_for):
    first, second, third = by_name(unit)
    client = client_for(unit.penilai)
    response = client.post(reverse("performance:annual_rate", args=[first.pk]), RATING, follow=True)
    html = response.content.decode()
    assert "Penilaian tahunan disimpan" in html
    step = section(html, "langkah-berikutnya")
    assert "2 pegawai lain yang Anda nilai belum diberi penilaian tahunan." in step
    assert reverse("performance:annual_detail", args=[second.pk]) in step
    assert f"Nilai berikutnya: {second.employee.full_name}" in step
    # a Kepala Bidang does not open the OPD's page: back to the annual home instead
    assert 'data-testid="kembali-unit"' not in step
    assert reverse("performance:annual_home") in step

    client.post(reverse("performance:annual_rate", args=[second.pk]), RATING)
    html = client.post(
        reverse("performance:annual_rate", args=[third.pk]), RATING, follow=True
    ).content.decode()
    step = section(html, "langkah-berikutnya")
    assert "Semua pegawai yang Anda nilai sudah diberi penilaian tahunan." in step
    assert 'data-testid="nilai-berikutnya"' not in step
    assert AnnualRating.objects.filter(skp__in=unit.skps).count() == 3


def test_the_head_is_sent_back_to_the_unit_with_what_is_left(unit, client_for):
    """The head rates the Kepala Bidang: back to the OPD's page, with how many are unrated."""
    kabid_skp = make_skp(unit.penilai, unit.skps[0].cycle)
    html = (
        client_for(unit.head)
        .post(reverse("performance:annual_rate", args=[kabid_skp.pk]), RATING, follow=True)
        .content.decode()
    )
    step = section(html, "langkah-berikutnya")
    assert "Semua pegawai yang Anda nilai sudah diberi penilaian tahunan." in step
    unit_url = reverse("performance:unit_detail", args=[kabid_skp.cycle.year, unit.opd.pk])
    assert unit_url in step and "3 pegawai belum dinilai" in step


def test_no_next_step_for_someone_who_only_reads(unit, client_for):
    evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    html = (
        client_for(unit.staff[0])
        .get(reverse("performance:annual_detail", args=[unit.skps[0].pk]))
        .content.decode()
    )
    assert 'data-testid="langkah-berikutnya"' not in html


def test_after_the_capaian_the_leader_rates_the_head_and_the_head_finalises(unit, client_for):
    cycle = unit.skps[0].cycle
    leader = give_leader(unit)
    head_skp = make_skp(unit.head, cycle)  # rated by the leader above
    url = reverse("performance:unit_detail", args=[cycle.year, unit.opd.pk])
    html = (
        client_for(leader)
        .post(
            reverse("performance:unit_capaian", args=[cycle.year, unit.opd.pk]),
            {"capaian": "baik", "document_ref": "ND 1"},
            follow=True,
        )
        .content.decode()
    )
    assert "Capaian kinerja organisasi disimpan." in html
    step = section(html, "langkah-berikutnya")
    assert "4 pegawai belum dinilai di perangkat daerah ini." in step
    assert f"Nilai berikutnya: {unit.head.full_name}" in step
    assert reverse("performance:annual_detail", args=[head_skp.pk]) in step
    assert 'data-testid="ke-penetapan"' not in step

    # once everyone is rated, the head (who finalises) is sent straight to finalising
    for skp in unit.skps:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    evaluation.rate_annual(
        actor=leader, skp=head_skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    step = section(client_for(unit.head).get(url).content.decode(), "langkah-berikutnya")
    assert 'data-testid="ke-penetapan"' in step and "#judul-tetapkan" in step
    assert "belum dinilai" not in step
    step = section(client_for(leader).get(url).content.decode(), "langkah-berikutnya")
    assert "Semua pegawai sudah dinilai" in step and 'data-testid="ke-penetapan"' not in step


def test_after_the_capaian_in_an_open_cycle_the_page_says_rating_waits(unit, client_for):
    cycle = unit.skps[0].cycle
    leader = give_leader(unit)
    evaluation.set_capaian(actor=leader, cycle=cycle, opd=unit.opd, capaian="baik")
    type(cycle).objects.filter(pk=cycle.pk).update(status=type(cycle).Status.OPEN)
    url = reverse("performance:unit_detail", args=[cycle.year, unit.opd.pk])
    step = section(client_for(leader).get(url).content.decode(), "langkah-berikutnya")
    assert "setelah siklus ditutup" in step and "Nilai berikutnya" not in step
