"""Changing who a person is in the portal: roles, superuser, activity, unit, atasan (issue 14).

The rule: nobody grants a power they do not hold. Superuser status and role groups are
changed by superusers only; nobody sets another person's password (a new account gets the
"Lupa kata sandi" link by e-mail); every change is recorded in `AuditEntry`. The Wagtail user
forms and the user bulk actions (portal.wagtail_hooks) go through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .audit import Kind, Source, record_change, record_diff, save_entries, snapshot
from .audit import diff_entries as _diff
from .models import User
from .sockets import close_user_sockets
from .staffing import Assignment
from .staffing.batch import set_post
from .staffing.services import SNAPSHOT_FIELDS as POST_FIELDS
from .staffing.services import save_details

# Audited with the assignment by the staffing service, not here.
POST_KINDS = (Kind.ORG_UNIT, Kind.ATASAN)


def may_manage_powers(actor: User | None) -> bool:
    """Superuser status and role groups: superusers (and the system, actor None) only."""
    return actor is None or actor.is_superuser


def may_edit(actor: User | None, subject: User) -> bool:
    """A superuser's account is edited by superusers only (else its e-mail could be redirected)."""
    return may_manage_powers(actor) or not subject.is_superuser


def check_change(*, actor: User | None, subject: User, before: dict, after: dict) -> None:
    """Raise PermissionDenied when `actor` may not move `subject` from `before` to `after`."""
    if may_manage_powers(actor):
        return
    if before.get(Kind.SUPERUSER):
        raise PermissionDenied(_("Hanya superuser yang dapat mengubah akun superuser."))
    if bool(after.get(Kind.SUPERUSER)) != bool(before.get(Kind.SUPERUSER, False)):
        raise PermissionDenied(
            _("Hanya superuser yang dapat memberi atau mencabut status superuser.")
        )
    if set(after.get(Kind.ROLES, ())) != set(before.get(Kind.ROLES, ())):
        raise PermissionDenied(_("Hanya superuser yang dapat mengubah peran pegawai."))


def _refresh_groups(user: User) -> None:
    user.__dict__.pop("_group_names", None)


@transaction.atomic
def save_person(
    *,
    actor: User | None,
    user: User,
    groups: Iterable[Group] | None = None,
    source: str = Source.FORM,
    request: HttpRequest | None = None,
) -> User:
    """Save a person edited in a form, with their groups when given; check and record it.

    `user` carries the new field values (not yet saved). A changed unit, atasan or jabatan
    becomes an assignment from today (`portal.staffing.batch.set_post`, source "admin"),
    which also records it. A new account gets no password: the "Lupa kata sandi" e-mail goes
    out after commit when `request` is given.
    """
    created = user.pk is None
    stored = None if created else User.objects.get(pk=user.pk)
    before = {} if created else snapshot(stored)
    planned = {
        Kind.SUPERUSER: user.is_superuser,
        Kind.ROLES: frozenset(g.name for g in groups)
        if groups is not None
        else before.get(Kind.ROLES, frozenset()),
    }
    check_change(actor=actor, subject=user, before=before, after={**before, **planned})
    post = {name: getattr(user, name) for name in POST_FIELDS}
    if created:
        user.set_unusable_password()
    save_details(user)
    if created or any(getattr(stored, name) != value for name, value in post.items()):
        set_post(actor=actor, person=user, source=Assignment.Source.ADMIN, **post)
    if groups is not None:
        user.groups.set(list(groups))
    _refresh_groups(user)
    after = snapshot(user)
    # Unit and atasan are recorded by the staffing service with the assignment.
    record_diff(
        actor=actor,
        subject=user,
        before={k: v for k, v in before.items() if k not in POST_KINDS},
        after={
            k: v for k, v in after.items() if k != Kind.ATASAN and not (before and k in POST_KINDS)
        },
        source=source,
    )
    if before.get(Kind.ACTIVE) and not after[Kind.ACTIVE]:
        transaction.on_commit(lambda: close_user_sockets(user.pk))
    old_email = before.get(Kind.EMAIL)
    if old_email and old_email.lower() != user.email.lower() and actor != user:
        transaction.on_commit(
            lambda: notify_email_changed(user=user, old_email=old_email, actor=actor)
        )
    if created and request is not None and user.email:
        transaction.on_commit(lambda: send_password_link(request=request, user=user, actor=actor))
    return user


def send_password_link(*, request: HttpRequest, user: User, actor: User | None) -> None:
    """Mail `user` allauth's "Lupa kata sandi" link, so they choose their own password."""
    with request_context(request):  # allauth reads the request from its context variable
        request_password_reset(request, user.email, [user], default_token_generator)
    record_change(
        actor=actor,
        subject=user,
        kind=Kind.PASSWORD_RESET,
        old="",
        new=user.email,
        source=Source.FORM,
    )


def notify_email_changed(*, user: User, old_email: str, actor: User | None) -> None:
    """Tell the old address that someone else changed the account's e-mail: a password reset
    now goes to the new one, so the owner must be able to notice and object."""
    who = actor.full_name if actor is not None else _("sistem (impor register)")
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("E-mail akun Anda diubah"),
        _(
            "Halo %(name)s,\n\nE-mail akun Anda di Portal Kinerja ASN diubah oleh %(who)s "
            "dari %(old)s menjadi %(new)s. Tautan atur ulang kata sandi kini dikirim ke alamat "
            "baru itu.\n\nBila perubahan ini tidak Anda minta, segera hubungi Admin BKPSDM."
        )
        % {"name": user.full_name, "who": who, "old": old_email, "new": user.email},
        None,
        [old_email],
        fail_silently=True,
    )


@transaction.atomic
def set_active(
    *, actor: User | None, users: Iterable[User], active: bool, source: str = Source.BULK
) -> int:
    """Activate or deactivate people (never oneself); superusers only by superusers."""
    people = [u for u in users if actor is None or u.pk != actor.pk]
    entries = []
    for person in User.objects.select_for_update().filter(pk__in=[u.pk for u in people]):
        before = {Kind.SUPERUSER: person.is_superuser, Kind.ACTIVE: person.is_active}
        after = {**before, Kind.ACTIVE: active}
        check_change(actor=actor, subject=person, before=before, after=after)
        entries += _diff(actor=actor, subject=person, before=before, after=after, source=source)
    changed_ids = [e.subject_id for e in entries]
    changed = User.objects.filter(pk__in=changed_ids).update(is_active=active)
    save_entries(entries)
    if not active:  # a deactivated person's open sockets close, in every process
        transaction.on_commit(lambda: [close_user_sockets(pk) for pk in changed_ids])
    return changed


@transaction.atomic
def assign_role(
    *, actor: User | None, users: Iterable[User], group: Group, source: str = Source.BULK
) -> int:
    """Add `group` to each person (superusers only); recorded per person who did not have it."""
    people = list(users)
    if not may_manage_powers(actor):
        raise PermissionDenied(_("Hanya superuser yang dapat mengubah peran pegawai."))
    have = set(group.user_set.filter(pk__in=[u.pk for u in people]).values_list("pk", flat=True))
    entries = []
    for person in people:
        if person.pk in have:
            continue
        before = snapshot(person)
        after = {**before, Kind.ROLES: before[Kind.ROLES] | {group.name}}
        entries += _diff(actor=actor, subject=person, before=before, after=after, source=source)
    group.user_set.add(*[p for p in people if p.pk not in have])
    save_entries(entries)
    return len(people)


def email_in_use(email: str, *, exclude_user_id: int | None = None) -> bool:
    """Whether another person holds `email`, as their account e-mail or an allauth address.

    Addresses are unique across both tables (issue 14): otherwise an employee could add a
    colleague's address, receive a copy of their password reset or make it primary (a 500).
    """
    email = (email or "").strip()
    if not email:
        return False
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
        addresses = addresses.exclude(user_id=exclude_user_id)
    return users.exists() or addresses.exists()
