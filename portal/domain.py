"""Domain facts the product needs (BerAKHLAK values, rating levels...), loaded from
portal/data/asn_performance.json so that nobody retypes regulation text."""

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "asn_performance.json"


@cache
def domain_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def berakhlak_values() -> list[dict[str, Any]]:
    """The seven core values, each as {"code", "name", "indicators": [...]}, in official order."""
    return [
        {"code": v["code"], "name": v["name"], "indicators": list(v["indicators"])}
        for v in domain_data()["berakhlak"]
    ]


def berakhlak_choices() -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for v in berakhlak_values()]
