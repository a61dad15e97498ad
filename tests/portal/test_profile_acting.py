"""The beranda's profile card tells a Plt/Plh the post they act in and until when (issue 17:
the change is readable by the person it concerns); an appointment that ended is not shown."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from portal.staffing import ActingAppointment
from tests.factories import OrgUnitFactory, UserFactory


def test_profile_card_names_the_acting_post_while_it_lasts(client_for, db):
    today = timezone.localdate()
    plt = UserFactory(full_name="Yayah Plt")
    dinas = OrgUnitFactory(name="Dinas Uji Plt")
    old = OrgUnitFactory(name="Dinas Lama Plt")
    ActingAppointment.objects.create(
        person=plt, kind="plt", org_unit=dinas, start=today - dt.timedelta(days=5),
        end=today + dt.timedelta(days=30), sk_number="800.1.3/Plt.10-BKPSDM",
    )  # fmt: skip
    ActingAppointment.objects.create(
        person=plt, kind="plh", org_unit=old, start=today - dt.timedelta(days=60),
        end=today - dt.timedelta(days=1), sk_number="800.1.3/Plh.08-BKPSDM",
    )  # fmt: skip
    html = client_for(plt).get(reverse("portal:beranda")).content.decode()
    assert 'data-testid="plt-saya"' in html
    assert "Pelaksana Tugas (Plt) kepala Dinas Uji Plt sampai" in html
    assert "800.1.3/Plt.10-BKPSDM" in html
    assert "Dinas Lama Plt" not in html  # ended yesterday


def test_profile_card_without_acting_post(client_for, db):
    html = client_for(UserFactory()).get(reverse("portal:beranda")).content.decode()
    assert 'data-testid="plt-saya"' not in html
