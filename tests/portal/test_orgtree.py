"""OrgUnit.objects.unit_map(): the organisation tree read once, answered from memory."""

import pickle

import pytest

from portal.models import OrgUnit
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """dinas -> bidang -> seksi, dinas -> sekretariat; a second OPD, kecamatan -> kelurahan."""
    dinas = OrgUnitFactory(name="Dinas Pohon", short_name="Diskohon")
    bidang = OrgUnitFactory(name="Bidang Akar", kind=OrgUnit.Kind.BIDANG, parent=dinas)
    seksi = OrgUnitFactory(name="Seksi Rambut Akar", kind=OrgUnit.Kind.SEKSI, parent=bidang)
    sekretariat = OrgUnitFactory(name="Sekretariat Pohon", kind=OrgUnit.Kind.BAGIAN, parent=dinas)
    kecamatan = OrgUnitFactory(name="Kecamatan Daun", kind=OrgUnit.Kind.KECAMATAN)
    kelurahan = OrgUnitFactory(
        name="Kelurahan Tunas", kind=OrgUnit.Kind.KELURAHAN, parent=kecamatan
    )
    return dinas, bidang, seksi, sekretariat, kecamatan, kelurahan


def test_the_opd_of_a_deep_unit_is_the_top_of_its_branch(tree):
    dinas, bidang, seksi, sekretariat, kecamatan, kelurahan = tree
    units = OrgUnit.objects.unit_map()
    assert units.opd_of(seksi.pk) == dinas.pk
    assert units.opd_of(bidang.pk) == dinas.pk
    assert units.opd_of(dinas.pk) == dinas.pk
    assert units.opd_of(kelurahan.pk) == kecamatan.pk
    assert units.parent_of(seksi.pk) == bidang.pk
    assert units.parent_of(dinas.pk) is None


def test_the_units_of_an_opd_are_its_whole_branch(tree):
    dinas, bidang, seksi, sekretariat, kecamatan, kelurahan = tree
    units = OrgUnit.objects.unit_map()
    assert units.units_of_opd(dinas.pk) == {dinas.pk, bidang.pk, seksi.pk, sekretariat.pk}
    assert units.units_of_opd(kecamatan.pk) == {kecamatan.pk, kelurahan.pk}
    assert units.units_of_opds([dinas.pk, kecamatan.pk]) == {unit.pk for unit in tree}
    assert units.units_of_opd(bidang.pk) == frozenset()  # not an OPD


def test_names_are_the_short_name_or_the_name(tree):
    dinas, bidang, *_ = tree
    units = OrgUnit.objects.unit_map()
    assert units.name_of(dinas.pk) == "Diskohon"
    assert units.name_of(bidang.pk) == "Bidang Akar"


def test_the_opds_are_the_top_level_units_by_name(tree):
    dinas, _, _, _, kecamatan, _ = tree
    units = OrgUnit.objects.unit_map()
    opds = units.opds
    assert opds == list(
        OrgUnit.objects.perangkat_daerah().order_by("name").values_list("pk", flat=True)
    )
    assert {dinas.pk, kecamatan.pk} <= set(opds)


def test_unknown_units_have_no_opd_no_name_and_no_units(tree):
    units = OrgUnit.objects.unit_map()
    missing = max(unit.pk for unit in tree) + 1000
    assert units.opd_of(None) is None and units.opd_of(missing) is None
    assert units.name_of(None) == "" and units.name_of(missing) == ""
    assert units.units_of_opd(None) == frozenset()


def test_the_map_is_read_in_one_query_and_then_asks_nothing(tree, django_assert_num_queries):
    seksi = tree[2]
    with django_assert_num_queries(1):
        units = OrgUnit.objects.unit_map()
    with django_assert_num_queries(0):
        units.opd_of(seksi.pk)
        units.units_of_opd(units.opd_of(seksi.pk))
        units.name_of(seksi.pk)


def test_the_map_is_immutable_and_survives_the_cache(tree):
    dinas, bidang, seksi, *_ = tree
    units = OrgUnit.objects.unit_map()
    with pytest.raises(AttributeError):
        units._parents = {}
    assert units.units_of_opd(dinas.pk)  # builds the index: it is not pickled with the map
    copy = pickle.loads(pickle.dumps(units))
    assert "_members" not in copy.__dict__
    assert copy.opd_of(seksi.pk) == dinas.pk
    assert copy.units_of_opd(dinas.pk) == units.units_of_opd(dinas.pk)
    assert copy == units
