"""StreamField data for the demo pages: blocks with stable ids, and facts from the domain data."""

from __future__ import annotations

import uuid
from html import escape

from portal.domain import domain_data

NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4f57-9a59-2a4cf0f0b8e1")


def block_id(*parts: str) -> str:
    """A stable block id, so that choice tokens survive a re-seed of a fresh database."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def text(html: str, *key: str) -> dict:
    return {"type": "text", "value": html, "id": block_id("text", *key)}


def callout(kind: str, title: str, html: str, *key: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": kind, "title": title, "text": html},
        "id": block_id("callout", *key),
    }


def question(
    key: str, prompt: str, choices: list[tuple[str, bool]], explanation: str, *, multiple=False
) -> dict:
    return {
        "type": "multiple_choice" if multiple else "single_choice",
        "id": block_id("q", key),
        "value": {
            "question": prompt,
            "choices": [
                {
                    "type": "item",
                    "id": block_id("c", key, str(n)),
                    "value": {"text": choice, "is_correct": correct},
                }
                for n, (choice, correct) in enumerate(choices)
            ],
            "explanation": explanation,
        },
    }


def ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


# --- facts from the domain data --------------------------------------------------------------


def rating_labels() -> list[str]:
    scale = domain_data()["rating_levels"]["scale"]
    return [level["label"] for level in sorted(scale, key=lambda level: -level["order"])]


def predikat_labels() -> list[str]:
    predikat = domain_data()["rating_levels"]["predikat"]
    return [p["label"] for p in sorted(predikat, key=lambda p: -p["order"])]


def predikat_of(hasil: str, perilaku: str) -> str:
    return domain_data()["predikat_matrix"]["matrix"][hasil][perilaku]


def predikat_table() -> str:
    """The predikat matrix as a list (rich text holds no tables; a list also suits phones)."""
    labels = rating_labels()
    items = [
        f"Hasil kerja {escape(hasil)} + perilaku kerja {escape(perilaku)} → "
        f"<b>{escape(predikat_of(hasil, perilaku))}</b>"
        for hasil in labels
        for perilaku in labels
    ]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
