"""Regulation facts (PermenPANRB 6/2022) loaded from `portal/data/asn_performance.json`.

Never retype these facts in code: read them from here. Loaded once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "asn_performance.json"


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def berakhlak_values() -> list[dict[str, Any]]:
    """The seven BerAKHLAK core values: dicts with `code`, `name`, `indicators`."""
    return [
        {"code": v["code"], "name": v["name"], "indicators": list(v["indicators"])}
        for v in _data()["berakhlak"]
    ]


def rating_levels() -> dict[str, Any]:
    """The `rating_levels` section: `scale` (code/label/order), `predikat`, `perspektif_jpt`..."""
    return _data()["rating_levels"]


def predikat_levels() -> list[dict[str, Any]]:
    """The five predikat: dicts with `code`, `label`, `order` (5 = Sangat Baik)."""
    return list(rating_levels()["predikat"])


def predikat_matrix() -> dict[str, dict[str, str]]:
    """Labels: matrix[rating hasil kerja][rating perilaku kerja] -> predikat label."""
    return _data()["predikat_matrix"]["matrix"]
