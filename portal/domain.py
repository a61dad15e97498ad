"""Domain facts loaded from portal/data/asn_performance.json (never retyped in code).

Generic on purpose: every app (leaderboard, training, performance, cms) reads the BerAKHLAK
values from here.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "asn_performance.json"


@cache
def domain_data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def berakhlak_values() -> list[dict[str, Any]]:
    """The seven BerAKHLAK core values: [{"code", "name", "indicators": [3 strings]}, ...]."""
    return [
        {"code": v["code"], "name": v["name"], "indicators": list(v["indicators"])}
        for v in domain_data()["berakhlak"]
    ]


def berakhlak_value(code: str) -> dict[str, Any] | None:
    return next((v for v in berakhlak_values() if v["code"] == code), None)


def berakhlak_choices() -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for v in berakhlak_values()]


def rating_levels() -> dict[str, Any]:
    """The `rating_levels` section: `scale` (code/label/order), `predikat`, `perspektif_jpt`..."""
    return domain_data()["rating_levels"]


def predikat_levels() -> list[dict[str, Any]]:
    """The five predikat: dicts with `code`, `label`, `order` (5 = Sangat Baik)."""
    return list(rating_levels()["predikat"])


def predikat_matrix() -> dict[str, dict[str, str]]:
    """Labels: matrix[rating hasil kerja][rating perilaku kerja] -> predikat label."""
    return domain_data()["predikat_matrix"]["matrix"]
