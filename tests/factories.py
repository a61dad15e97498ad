import datetime as dt

import factory
from django.contrib.auth.models import Group

from portal.models import OrgUnit, User

PASSWORD = "rahasia-uji-123"


def make_nip(n: int, *, sex: int = 1) -> str:
    """A valid, unique NIP for the n-th test person."""
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=n)
    tmt_year = birth.year + 25
    return f"{birth:%Y%m%d}{tmt_year}{(n % 12) + 1:02d}{sex}{(n % 999) + 1:03d}"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    code = factory.Sequence(lambda n: f"dinas-uji-{n}")
    kind = OrgUnit.Kind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    nip = factory.Sequence(make_nip)
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.Sequence(lambda n: f"pegawai{n}@uji.bandung.go.id")
    jabatan = "Pranata Komputer Ahli Pertama"
    org_unit = factory.SubFactory(OrgUnitFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])
