"""Shared by the performance models: choice lists from the domain data, today, the abstract status event."""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from portal.domain import berakhlak_values, predikat_levels, rating_levels
from portal.fields import user_fk


def value_choices() -> list[tuple[str, str]]:
    return [(v["code"], v["name"]) for v in berakhlak_values()]


def rating_choices() -> list[tuple[str, str]]:
    return [(level["code"], level["label"]) for level in rating_levels()["scale"]]


# How the domain data marks a sentence its source was cut off in (copied, never completed).
_NOT_RETRIEVED = re.compile(r"\s*\.\.\.\s*\(rest not retrieved\)\s*$")


def rating_guidance() -> dict:
    """The guidance for the rating of hasil kerja, per rating level, from the domain data:
    {"levels": [{"code", "label", "text", "truncated"}], "confidence": the data's own note}.
    A text the source was cut off in is returned up to the cut, with `truncated` set."""
    guidance = rating_levels().get("rating_hasil_kerja_guidance", {})
    levels = []
    for code, label in rating_choices():
        text = guidance.get(code, "")
        cut = _NOT_RETRIEVED.search(text)
        levels.append(
            {
                "code": code,
                "label": label,
                "text": text[: cut.start()] if cut else text,
                "truncated": bool(cut),
            }
        )
    return {"levels": levels, "confidence": guidance.get("confidence", "")}


def predikat_choices() -> list[tuple[str, str]]:
    return [(level["code"], level["label"]) for level in predikat_levels()]


def perspektif_choices() -> list[tuple[str, str]]:
    return [
        (slugify(label).replace("-", "_"), label) for label in rating_levels()["perspektif_jpt"]
    ]


def value_name(code: str) -> str:
    return dict(value_choices()).get(code, code)


def today() -> dt.date:
    """Today in Asia/Jakarta (the portal's TIME_ZONE)."""
    return timezone.localdate()


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_bkpsdm_admin)


class StatusEvent(models.Model):
    """One status transition: who moved it, when, with what note.

    Each subclass adds the object it belongs to and its own `from_status`/`to_status`
    fields, whose choices are that object's Status.
    """

    actor = user_fk(related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"
