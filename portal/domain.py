"""Domain facts loaded from portal/data/asn_performance.json (never retyped in code)."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "asn_performance.json"


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def berakhlak_values() -> list[dict]:
    """The seven BerAKHLAK core values: dicts with code, name and indicators."""
    return [
        {"code": v["code"], "name": v["name"], "indicators": list(v["indicators"])}
        for v in _data()["berakhlak"]
    ]


def berakhlak_choices() -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for v in berakhlak_values()]
