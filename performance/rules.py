"""Rules of PermenPANRB 6/2022 that are pure functions of their inputs.

Nothing here reads the database: the editable kurva quotas are read by the caller
(`DistributionRule.objects.quotas_for(capaian)`) and passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.domain import domain_data, predikat_levels, predikat_matrix, rating_levels


@cache
def _matrix_by_code() -> dict[tuple[str, str], str]:
    rating_code = {level["label"]: level["code"] for level in rating_levels()["scale"]}
    predikat_code = {level["label"]: level["code"] for level in predikat_levels()}
    return {
        (rating_code[hasil], rating_code[perilaku]): predikat_code[result]
        for hasil, row in predikat_matrix().items()
        for perilaku, result in row.items()
    }


def rating_codes() -> list[str]:
    return [level["code"] for level in rating_levels()["scale"]]


def rating_errors(hasil_kerja: str, perilaku_kerja: str) -> dict[str, str]:
    """What is wrong with a pair of rating codes, per form field (empty: both known)."""
    codes = rating_codes()
    errors = {}
    if hasil_kerja not in codes:
        errors["hasil_kerja"] = _("Pilih rating hasil kerja.")
    if perilaku_kerja not in codes:
        errors["perilaku_kerja"] = _("Pilih rating perilaku kerja.")
    return errors


def predikat(hasil_kerja: str, perilaku_kerja: str) -> str:
    """The predikat code for a rating of hasil kerja and of perilaku kerja.

    Both ratings are codes `di_atas|sesuai|di_bawah`; the result is one of
    `sangat_baik|baik|butuh_perbaikan|kurang_misconduct|sangat_kurang` (the Kuadran Kinerja).
    """
    try:
        return _matrix_by_code()[(hasil_kerja, perilaku_kerja)]
    except KeyError:
        raise ValueError(
            f"unknown rating codes: hasil_kerja={hasil_kerja!r}, perilaku_kerja={perilaku_kerja!r}"
        ) from None


# --- kurva distribusi ------------------------------------------------------------------------

CAPAIAN_CODES = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")


def _slug(label: str) -> str:
    return slugify(label.replace("/", " ")).replace("-", "_")


def capaian_choices() -> list[tuple[str, str]]:
    """(code, label) for the capaian kinerja organisasi, from the domain data."""
    return [(_slug(label), label) for label in rating_levels()["capaian_kinerja_organisasi"]]


def predikat_label(code: str) -> str:
    return {level["code"]: level["label"] for level in predikat_levels()}.get(code, code)


@dataclass(frozen=True)
class Quota:
    """One quota of a pola distribusi: `kind` is min_pct, max_pct or must_exist."""

    kind: str
    predikat: tuple[str, ...]
    pct: int | None = None


@dataclass(frozen=True)
class Violation:
    capaian: str
    quota: Quota
    count: int
    total: int
    message: str

    def __str__(self) -> str:
        return self.message


@cache
def default_quotas() -> dict[str, tuple[Quota, ...]]:
    """The quotas of `kurva_distribusi.rules` in the domain data, keyed by capaian code."""
    label_to_code = {level["label"]: level["code"] for level in predikat_levels()}
    result: dict[str, tuple[Quota, ...]] = {}
    for capaian_label, spec in domain_data()["kurva_distribusi"]["rules"].items():
        quotas: list[Quota] = []
        for key, value in spec.items():
            if key in ("others_allowed", "alias"):
                continue
            if key == "must_exist_any_of":
                quotas.append(Quota("must_exist", tuple(label_to_code[v] for v in value)))
                continue
            codes = tuple(label_to_code[part.strip()] for part in key.split(" or "))
            for kind in ("min_pct", "max_pct"):
                if kind in value:
                    quotas.append(Quota(kind, codes, int(value[kind])))
        result[_slug(capaian_label)] = tuple(quotas)
    return result


def _pct(part: int, total: int) -> str:
    value = part * 100 / total
    return number_format(round(value, 1), decimal_pos=0 if value == int(value) else 1)


def _explain(capaian: str, quota: Quota, count: int, total: int) -> str:
    names = _(" dan/atau ").join(predikat_label(code) for code in quota.predikat)
    values = {
        "capaian": dict(capaian_choices())[capaian],
        "names": names,
        "pct": quota.pct,
        "count": count,
        "total": total,
        "actual": _pct(count, total),
    }
    if quota.kind == "must_exist":
        return (
            _("Capaian %(capaian)s: harus ada pegawai berpredikat %(names)s; sekarang tidak ada.")
            % values
        )
    if quota.kind == "max_pct" and quota.pct == 0:
        return (
            _(
                "Capaian %(capaian)s: tidak boleh ada pegawai berpredikat %(names)s; "
                "sekarang %(count)s dari %(total)s."
            )
            % values
        )
    if quota.kind == "max_pct":
        return (
            _(
                "Capaian %(capaian)s: paling banyak %(pct)s%% pegawai berpredikat %(names)s; "
                "sekarang %(count)s dari %(total)s (%(actual)s%%)."
            )
            % values
        )
    return (
        _(
            "Capaian %(capaian)s: paling sedikit %(pct)s%% pegawai berpredikat %(names)s; "
            "sekarang %(count)s dari %(total)s (%(actual)s%%)."
        )
        % values
    )


def _breaks(quota: Quota, count: int, total: int) -> bool:
    if quota.kind == "must_exist":
        return count == 0
    if quota.kind == "max_pct":
        return count * 100 > quota.pct * total  # integers: no rounding surprises
    return count * 100 < quota.pct * total


def check_distribution(
    capaian_organisasi: str, counts: dict[str, int], quotas: Sequence[Quota]
) -> list[Violation]:
    """The kurva distribusi rules a unit's predikat counts break (empty: allowed).

    `capaian_organisasi` is `istimewa|baik|butuh_perbaikan|kurang|sangat_kurang`; `counts` maps
    predikat codes to numbers of employees (missing codes count as 0); `quotas` are the quotas
    of that capaian (`DistributionRule.objects.quotas_for(capaian)`). A unit with nobody rated
    breaks no rule. Unknown codes raise ValueError.
    """
    if capaian_organisasi not in CAPAIAN_CODES:
        raise ValueError(f"unknown capaian kinerja organisasi: {capaian_organisasi!r}")
    known = {level["code"] for level in predikat_levels()}
    unknown = set(counts) - known
    if unknown:
        raise ValueError(f"unknown predikat codes: {sorted(unknown)}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("counts must not be negative")
    total = sum(counts.values())
    if total == 0:
        return []
    violations = []
    for quota in quotas:
        count = sum(counts.get(code, 0) for code in quota.predikat)
        if _breaks(quota, count, total):
            message = _explain(capaian_organisasi, quota, count, total)
            violations.append(Violation(capaian_organisasi, quota, count, total, message))
    return violations


def explain_quota(quota: Quota) -> str:
    """The quota itself in words (for the expected pattern beside the chart)."""
    values = {
        "names": _(" dan/atau ").join(predikat_label(code) for code in quota.predikat),
        "pct": quota.pct,
    }
    if quota.kind == "must_exist":
        return _("Harus ada pegawai berpredikat %(names)s.") % values
    if quota.kind == "max_pct" and quota.pct == 0:
        return _("Tidak boleh ada pegawai berpredikat %(names)s.") % values
    if quota.kind == "max_pct":
        return _("Paling banyak %(pct)s%% pegawai berpredikat %(names)s.") % values
    return _("Paling sedikit %(pct)s%% pegawai berpredikat %(names)s.") % values
