"""Rules of PermenPANRB 6/2022 that are pure functions of their inputs."""

from __future__ import annotations

from functools import cache

from portal.domain import predikat_levels, predikat_matrix, rating_levels


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
