"""Kurva distribusi: every capaian level, counts just inside and just outside each quota."""

import pytest

from performance.models import DistributionRule
from performance.rules import Quota, check_distribution, default_quotas

pytestmark = pytest.mark.django_db

SB, B, BP, KM, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct", "sangat_kurang"


def kinds(violations):
    return sorted((v.quota.kind, v.quota.predikat) for v in violations)


def check(capaian, counts):
    """The rules with the quotas the portal applies (stored, else the defaults)."""
    return check_distribution(capaian, counts, DistributionRule.objects.quotas_for(capaian))


def test_quotas_are_seeded_from_the_domain_data():
    assert DistributionRule.objects.count() == sum(len(q) for q in default_quotas().values())
    assert DistributionRule.objects.quotas("baik") == default_quotas()["baik"]


@pytest.mark.parametrize(
    ("capaian", "counts", "broken"),
    [
        # Istimewa: at most 70% Sangat Baik.
        ("istimewa", {SB: 7, B: 3}, []),
        ("istimewa", {SB: 8, B: 2}, [("max_pct", (SB,))]),
        # Baik: at most 70% Baik; someone Butuh Perbaikan and/or Kurang/Misconduct.
        ("baik", {B: 7, BP: 1, SB: 2}, []),
        ("baik", {B: 7, KM: 1, SK: 2}, []),
        ("baik", {B: 8, BP: 2}, [("max_pct", (B,))]),
        ("baik", {B: 7, SB: 3}, [("must_exist", (BP, KM))]),
        # Butuh Perbaikan: at least 60% BP, at most 10% Sangat Baik.
        ("butuh_perbaikan", {BP: 6, SB: 1, B: 3}, []),
        ("butuh_perbaikan", {BP: 5, B: 5}, [("min_pct", (BP,))]),
        ("butuh_perbaikan", {BP: 6, SB: 2, B: 2}, [("max_pct", (SB,))]),
        # Kurang: at least 60% KM, at least 10% BP, at most 10% SB.
        ("kurang", {KM: 6, BP: 1, SB: 1, B: 2}, []),
        ("kurang", {KM: 5, BP: 1, B: 4}, [("min_pct", (KM,))]),
        ("kurang", {KM: 6, B: 4}, [("min_pct", (BP,))]),
        ("kurang", {KM: 6, BP: 2, SB: 2}, [("max_pct", (SB,))]),
        # Sangat Kurang: at least 60% SK, at least 10% KM and/or BP, no Sangat Baik.
        ("sangat_kurang", {SK: 6, KM: 1, B: 3}, []),
        ("sangat_kurang", {SK: 6, BP: 1, B: 3}, []),
        ("sangat_kurang", {SK: 5, KM: 2, B: 3}, [("min_pct", (SK,))]),
        ("sangat_kurang", {SK: 9, B: 1}, [("min_pct", (KM, BP))]),
        ("sangat_kurang", {SK: 6, KM: 3, SB: 1}, [("max_pct", (SB,))]),
    ],
)
def test_each_quota_just_inside_and_just_outside(capaian, counts, broken):
    assert kinds(check(capaian, counts)) == sorted(broken)


def test_a_unit_with_nobody_rated_breaks_no_rule():
    for capaian in ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"):
        assert check(capaian, {}) == []
        assert check(capaian, {SB: 0}) == []


def test_explanations_are_clear_indonesian():
    [violation] = check("baik", {B: 8, BP: 2})
    assert violation.message == (
        "Capaian Baik: paling banyak 70% pegawai berpredikat Baik; sekarang 8 dari 10 (80%)."
    )
    [violation] = check("baik", {B: 7, SB: 3})
    assert violation.message == (
        "Capaian Baik: harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct; "
        "sekarang tidak ada."
    )
    [violation] = check("sangat_kurang", {SK: 6, KM: 3, SB: 1})
    assert (
        "tidak boleh ada pegawai berpredikat Sangat Baik; sekarang 1 dari 10" in violation.message
    )
    [violation] = check("kurang", {KM: 6, BP: 2, B: 5})
    assert (
        "paling sedikit 60% pegawai berpredikat Kurang/Misconduct; sekarang 6 dari 13 (46,2%)"
        in (violation.message)
    )


def test_several_broken_rules_are_all_reported():
    broken = kinds(check("kurang", {SB: 5, B: 5}))
    assert broken == sorted([("min_pct", (KM,)), ("min_pct", (BP,)), ("max_pct", (SB,))])


def test_edited_quotas_are_used_and_defaults_return_when_none_are_stored():
    DistributionRule.objects.filter(capaian="istimewa", kind="max_pct").update(pct=80)
    assert check("istimewa", {SB: 8, B: 2}) == []
    DistributionRule.objects.filter(capaian="istimewa").delete()
    assert kinds(check("istimewa", {SB: 8, B: 2})) == [("max_pct", (SB,))]


def test_unknown_codes_are_refused():
    with pytest.raises(ValueError):
        check("luar_biasa", {SB: 1})
    with pytest.raises(ValueError):
        check("baik", {"hebat": 1})


def test_quotas_for_reads_the_stored_quotas_else_the_defaults():
    DistributionRule.objects.filter(capaian="istimewa", kind="max_pct").update(pct=80)
    assert DistributionRule.objects.quotas_for("istimewa") == (Quota("max_pct", (SB,), 80),)
    DistributionRule.objects.filter(capaian="istimewa").delete()
    assert DistributionRule.objects.quotas_for("istimewa") == default_quotas()["istimewa"]
    assert DistributionRule.objects.quotas_for("luar_biasa") == ()


def test_the_rules_read_no_database(django_assert_num_queries):
    """rules.py is pure: the quotas come in as an argument."""
    quotas = (Quota("max_pct", (SB,), 50), Quota("must_exist", (SK,)))
    with django_assert_num_queries(0):
        broken = kinds(check_distribution("istimewa", {SB: 6, B: 4}, quotas))
    assert broken == [("max_pct", (SB,)), ("must_exist", (SK,))]
