"""Logging out, deactivation, a new password and a revoked kiosk link close the open sockets
they authorised, in every process (DESIGN §7).

`close_user_sockets` sends one `session.close` event naming the user to `SESSIONS_GROUP`.
Each process that serves sockets of logged-in users has one listener in that group per
socket group (`portal.fanout`, e.g. the board's), which closes that user's local sockets with
`SESSION_CLOSED_CODE`. One group for every process, not one per user: a socket costs no
channel or subscription of its own, and logouts are rare enough for every process to hear
each one. The receivers below are connected in `PortalConfig.ready()`: signals, because they
connect things that should not know about each other (auth and the apps' sockets).

What revokes a user's sockets, on every path to that state:
- logout: Django's `user_logged_out`;
- deactivation (`is_active` True -> False) and a new password hash, through any `save()` (the
  Wagtail user form, Django admin, allauth's password change and reset, `set_password()` in a
  shell): `post_init` remembers what was loaded, `post_save` compares (no query);
- the same through `QuerySet.update()` (Wagtail's bulk "set active state", `bulk_update`):
  `portal.models.UserQuerySet.update` goes through `update_revoking`.
A kiosk screen has no user: `close_kiosk_sockets(link_id)` closes the sockets its ticket
opened (leaderboard.services.revoke_kiosk_link calls it after commit).
Other code that ends someone's access can call `close_user_sockets(user_id)` (now) or
`close_user_sockets_on_commit(user_ids)` (inside a transaction).
"""

import logging
from collections.abc import Callable, Iterable

from channels.layers import get_channel_layer
from django.db import transaction

from .layer import group_send_sync

logger = logging.getLogger(__name__)

SESSIONS_GROUP = "sessions"
SESSION_CLOSE = "session.close"
# 4000-4999 are application codes; clients read 4001 as "the session ended, do not retry".
SESSION_CLOSED_CODE = 4001


def session_close_event(user_id: int | None = None, *, kiosk_id: int | None = None) -> dict:
    """The event for the sockets of one user, or of one kiosk link (exactly one is given)."""
    if kiosk_id is not None:
        return {"type": SESSION_CLOSE, "kiosk": kiosk_id}
    return {"type": SESSION_CLOSE, "user": user_id}


def _send_close(event: dict) -> None:
    try:
        group_send_sync(get_channel_layer(), SESSIONS_GROUP, event)
    except Exception:
        logger.warning("could not close the sockets of %s", event, exc_info=True)


def close_user_sockets(user_id: int) -> None:
    """Ask every open socket of this user, in any process, to close. Never raises."""
    _send_close(session_close_event(user_id))


def close_kiosk_sockets(link_id: int) -> None:
    """Ask every open socket opened with this kiosk link's ticket, in any process, to close."""
    _send_close(session_close_event(kiosk_id=link_id))


def close_user_sockets_on_commit(user_ids: Iterable[int]) -> None:
    """Close these users' sockets once the surrounding transaction commits (at once outside
    one): a socket closed before a rollback would be closed for nothing, and one closed
    before the commit could reconnect while the old state is still visible."""
    ids = sorted(set(user_ids))
    if ids:
        transaction.on_commit(lambda: [close_user_sockets(pk) for pk in ids])


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        close_user_sockets(user.pk)


# --- deactivation and password change -----------------------------------------------------------

_LOADED = "_sockets_loaded"  # (password hash, is_active) as loaded or last saved


def _access_state(user) -> tuple:
    # From __dict__, not the attributes: a deferred field must not cost a query here.
    return user.__dict__.get("password"), user.__dict__.get("is_active")


def remember_access_state(sender, instance, **kwargs) -> None:
    """post_init: note the password hash and activity the instance was loaded with."""
    instance.__dict__[_LOADED] = _access_state(instance)


def revocation_needed(before: tuple, after: tuple) -> bool:
    (old_password, was_active), (new_password, is_active) = before, after
    deactivated = was_active is True and is_active is False
    new_password_set = old_password is not None and new_password not in (None, old_password)
    return deactivated or new_password_set


def close_sockets_on_revoking_save(sender, instance, created, **kwargs) -> None:
    """post_save: a saved deactivation or new password closes the person's sockets."""
    after = _access_state(instance)
    before = instance.__dict__.get(_LOADED, after)
    instance.__dict__[_LOADED] = after
    if not created and revocation_needed(before, after):
        close_user_sockets_on_commit([instance.pk])


def update_revoking(queryset, fields: dict, update: Callable[[], int]) -> int:
    """`UserQuerySet.update(**fields)` through `update()`, closing after commit the sockets of
    the people it deactivates or gives a new password. An update that touches neither costs
    nothing more; one that does reads the ids first (and, for an expression such as
    bulk_update's `Case`, who is inactive after it)."""
    password = "password" in fields
    active = fields.get("is_active", True)
    if not password and active is True:
        return update()
    before = queryset if password else queryset.filter(is_active=True)
    ids = list(before.values_list("pk", flat=True))
    count = update()
    if ids and not password and active is not False:
        manager = queryset.model._base_manager
        ids = list(manager.filter(pk__in=ids, is_active=False).values_list("pk", flat=True))
    close_user_sockets_on_commit(ids)
    return count
