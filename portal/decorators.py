"""View decorators shared by the apps."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def bkpsdm_admin_required(view):
    """Admin BKPSDM (or a superuser) only: anonymous visitors go to the login page, anyone else
    signed in gets the portal's 403 page (handler403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_bkpsdm_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
