"""A person without an atasan in the portal (issue 17): their SKP goes to the rater Admin
BKPSDM designates, or waits for Admin BKPSDM (told) to designate one or approve on behalf with
a document. Never approved by itself; the same rule on every path that approves an SKP."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance import services
from performance.models import Skp, SkpEvent, today
from performance.services import leaders
from portal.notifications import Notification
from portal.staffing.services import designate_rater
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTA = "Nota Dinas BKPSDM 800/99"


@pytest.fixture
def top_skp(kepala, cycle):
    """The Kepala Dinas's draft SKP, ready to submit: nobody above him in the portal."""
    skp = services.create_skp(employee=kepala, cycle=cycle)
    rhk = services.add_rhk(
        actor=kepala, skp=skp, jenis="utama", text="A", parent_rhk=None, perspektif="anggaran"
    )
    services.add_indicator(actor=kepala, rhk=rhk, aspek="biaya", text="B", target=1, unit="Rp")
    assert skp.pejabat_penilai_id is None
    return skp


def designate(person, **rater):
    return designate_rater(
        actor=None,
        person=person,
        document_ref="Kep. Wali Kota 800/1",
        start=today().replace(month=1, day=1),
        **rater,
    )


def test_without_any_rater_the_skp_waits_and_admin_bkpsdm_is_told(top_skp, kepala, bkpsdm_admin):
    skp = services.submit_skp(actor=kepala, skp=top_skp)
    assert skp.status == Skp.Status.DIAJUKAN  # never approved by itself
    event = SkpEvent.objects.get(skp=skp, to_status="diajukan")
    assert "menunggu Admin BKPSDM menunjuk penilai" in event.note
    note = Notification.objects.get(recipient=bkpsdm_admin)
    assert "belum punya pejabat penilai" in note.message and note.url == skp.get_absolute_url()
    assert "belum punya pejabat penilai" in services.submission_message(skp)
    assert skp in leaders.awaiting_approval_by(bkpsdm_admin)

    with pytest.raises(PermissionDenied):
        services.approve_skp(actor=kepala, skp=skp)  # not by himself
    with pytest.raises(ValidationError, match="nomor dokumen") as info:
        services.approve_skp(actor=bkpsdm_admin, skp=skp)  # on behalf: a document first
    assert "document_ref" in info.value.message_dict
    assert Skp.objects.get(pk=skp.pk).status == Skp.Status.DIAJUKAN
    skp = services.approve_skp(actor=bkpsdm_admin, skp=skp, document_ref=NOTA)
    assert skp.status == Skp.Status.DISETUJUI
    event = SkpEvent.objects.get(skp=skp, to_status="disetujui")
    assert event.actor == bkpsdm_admin and NOTA in event.note and "atas nama" in event.note


def test_bulk_approval_does_not_approve_on_behalf_without_a_document(top_skp, kepala, bkpsdm_admin):
    services.submit_skp(actor=kepala, skp=top_skp)
    result = services.approve_skps(actor=bkpsdm_admin, skps=[top_skp])
    assert result.done == []
    [(refused, reason)] = result.refused
    assert refused.pk == top_skp.pk and "satu per satu" in reason
    assert Skp.objects.get(pk=top_skp.pk).status == Skp.Status.DIAJUKAN


def test_a_rater_designated_in_the_portal_gets_the_skp(top_skp, kepala, bkpsdm_admin):
    sekda = UserFactory(jabatan="Sekretaris Daerah", jenis_jabatan="jpt")
    designate(kepala, rater=sekda)  # after the SKP was drafted
    skp = services.submit_skp(actor=kepala, skp=top_skp)
    assert skp.status == Skp.Status.DIAJUKAN
    assert Notification.objects.filter(recipient=sekda).count() == 1
    assert not Notification.objects.filter(recipient=bkpsdm_admin).exists()
    assert skp not in leaders.awaiting_approval_by(bkpsdm_admin)
    with pytest.raises(PermissionDenied, match="penilainya di portal"):
        services.approve_skp(actor=bkpsdm_admin, skp=skp, document_ref=NOTA)
    skp = services.approve_skp(actor=sekda, skp=skp)
    assert skp.status == Skp.Status.DISETUJUI
    assert "penilai yang ditunjuk" in SkpEvent.objects.get(skp=skp, to_status="disetujui").note


def test_a_rater_outside_the_portal_is_recorded_by_admin_bkpsdm(top_skp, kepala, bkpsdm_admin):
    designate(kepala, external_rater="Wali Kota Bandung")
    skp = services.submit_skp(actor=kepala, skp=top_skp)
    assert skp.status == Skp.Status.DIAJUKAN
    assert "di luar portal" in Notification.objects.get(recipient=bkpsdm_admin).message
    skp = services.approve_skp(actor=bkpsdm_admin, skp=skp)  # the designation is the document
    note = SkpEvent.objects.get(skp=skp, to_status="disetujui").note
    assert "Wali Kota Bandung" in note and "Kep. Wali Kota 800/1" in note


# --- pages -------------------------------------------------------------------------------------


def test_the_pages_say_why_it_waits_and_admin_approves_on_behalf(
    top_skp, kepala, bkpsdm_admin, client_for
):
    client = client_for(kepala)
    response = client.post(reverse("performance:skp_submit", args=[top_skp.pk]), follow=True)
    html = response.content.decode()
    assert "belum punya pejabat penilai di portal" in html and 'id="menunggu-penilai"' in html
    assert 'name="document_ref"' not in html  # the owner does not approve

    admin = client_for(bkpsdm_admin)
    url = top_skp.get_absolute_url()
    html = admin.get(url).content.decode()
    assert 'name="document_ref"' in html
    assert reverse("portal:staffing_designate", args=[kepala.pk]) in html
    approve = reverse("performance:skp_approve", args=[top_skp.pk])
    response = admin.post(approve, {"document_ref": "  "}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "nomor dokumen" in response.content.decode()
    assert Skp.objects.get(pk=top_skp.pk).status == Skp.Status.DIAJUKAN
    admin.post(approve, {"document_ref": NOTA})
    assert Skp.objects.get(pk=top_skp.pk).status == Skp.Status.DISETUJUI
