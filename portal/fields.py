"""Field and constraint factories shared by the apps' models.

Each returns a plain Django field or constraint, built exactly as the written-out declaration
would be, so the migrations see no difference. The model still names every field; the call
gives what differs (label, related name, deletion rule, whether it may be empty).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def foreign_key(
    to,
    verbose_name=None,
    *,
    related_name: str,
    on_delete=models.PROTECT,
    optional: bool = False,
    **options,
) -> models.ForeignKey:
    """A foreign key to `to`, PROTECT unless told; `optional`: may be empty (null and blank)."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name, **options
    )


def nullable_fk(to, verbose_name=None, *, related_name: str, **options) -> models.ForeignKey:
    """An optional foreign key to `to`, emptied (SET_NULL) when what it points to is deleted."""
    return foreign_key(
        to,
        verbose_name,
        related_name=related_name,
        on_delete=models.SET_NULL,
        optional=True,
        **options,
    )


def user_fk(verbose_name=None, **options) -> models.ForeignKey:
    """A foreign key to a person (the user model); the options of `foreign_key`."""
    return foreign_key(settings.AUTH_USER_MODEL, verbose_name, **options)


def org_unit_fk(verbose_name=None, **options) -> models.ForeignKey:
    """A foreign key to an organisation unit; the options of `foreign_key`."""
    return foreign_key("portal.OrgUnit", verbose_name, **options)


def recorded_by_fk() -> models.ForeignKey:
    """Who recorded the row (Admin BKPSDM, or None for the import command and the system)."""
    return user_fk(_("dicatat oleh"), related_name="+", on_delete=models.SET_NULL, optional=True)


def date_range(*, open_end: bool) -> tuple[models.DateField, models.DateField]:
    """`start, end`: an inclusive range of days; `open_end`: `end` may be empty (open)."""
    end = {"null": True, "blank": True} if open_end else {}
    return models.DateField(_("mulai")), models.DateField(_("sampai"), **end)


def end_not_before_start(
    name: str, start: str = "start", end: str = "end"
) -> models.CheckConstraint:
    """The row's `end` day is empty or not before its `start` day."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}), name=name
    )


def not_blank(field: str, name: str) -> models.CheckConstraint:
    """The text field `field` is not empty."""
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


def not_same(field: str, other: str, name: str) -> models.CheckConstraint:
    """The row's `field` does not point where its `other` does (a person is not their own
    atasan, a unit not its own parent)."""
    return models.CheckConstraint(condition=~Q(**{field: F(other)}), name=name)
