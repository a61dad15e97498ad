import pytest
from django.core.exceptions import ValidationError

from portal.models import OrgUnit, User
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_perangkat_daerah_are_loaded_by_migration():
    names = set(OrgUnit.objects.perangkat_daerah().values_list("name", flat=True))
    assert {
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Kecamatan Coblong",
        "Dinas Kesehatan",
    } <= names
    # only the confirmed entries of the domain data ship
    assert "Dinas Pekerjaan Umum" not in names
    assert OrgUnit.objects.perangkat_daerah().count() == 63


def test_org_unit_cycle_is_refused():
    opd = OrgUnitFactory()
    bidang = OrgUnitFactory(parent=opd, kind=OrgUnit.Kind.BIDANG)
    opd.parent = bidang
    with pytest.raises(ValidationError) as excinfo:
        opd.full_clean()
    assert "lingkaran" in str(excinfo.value)


def test_org_unit_knows_its_perangkat_daerah():
    opd = OrgUnitFactory()
    seksi = OrgUnitFactory(parent=OrgUnitFactory(parent=opd))
    assert seksi.perangkat_daerah == opd
    assert OrgUnit.objects.descendant_ids(opd) == {opd.pk, seksi.parent_id, seksi.pk}


def test_perangkat_daerah_is_one_query_at_any_depth(django_assert_num_queries):
    """The beranda names a person's unit with its OPD: one query, not one per level (the
    city's seksi sit a level deeper than the demo's, and read one query more)."""
    opd = OrgUnitFactory()
    unit = opd
    for _level in range(5):
        unit = OrgUnitFactory(parent=unit)
    deep = OrgUnit.objects.get(pk=unit.pk)
    with django_assert_num_queries(1):
        assert deep.perangkat_daerah == opd
        assert deep.label.endswith(opd.display_name)  # read once per unit
    with django_assert_num_queries(0):
        assert opd.perangkat_daerah == opd


def test_perangkat_daerah_of_a_loop_is_the_last_unit_before_it():
    """A loop `clean` refuses but a bulk write could leave: no top, no endless walk."""
    first = OrgUnitFactory()
    second = OrgUnitFactory(parent=first)
    OrgUnit.objects.filter(pk=first.pk).update(parent=second)
    assert OrgUnit.objects.get(pk=second.pk).perangkat_daerah == first


def test_atasan_cycle_is_refused():
    kepala = UserFactory()
    kabid = UserFactory(atasan=kepala)
    staf = UserFactory(atasan=kabid)
    kepala.atasan = staf
    with pytest.raises(ValidationError) as excinfo:
        kepala.full_clean()
    assert "bawahan" in str(excinfo.value)


def test_self_atasan_is_refused():
    user = UserFactory()
    user.atasan = user
    with pytest.raises(ValidationError):
        user.full_clean()


def test_status_specific_nip_rule_runs_in_clean():
    user = UserFactory.build(
        nip="199808082023212001", status_kepegawaian=User.Status.PNS, org_unit=None
    )
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean(exclude=["password"])
    assert "bulan TMT" in str(excinfo.value)
    user.status_kepegawaian = User.Status.PPPK
    user.full_clean(exclude=["password"])


def test_subordinates_follow_the_atasan_chain():
    kepala = UserFactory()
    kabid = UserFactory(atasan=kepala)
    staf = UserFactory(atasan=kabid)
    UserFactory()  # someone else
    assert set(User.objects.in_subtree_of(kepala)) == {kabid, staf}
    assert list(User.objects.in_subtree_of(staf)) == []
