"""Everything the portal holds about a person, as one JSON document (DESIGN §7, issue 9).

`portal` imports no domain app: each app contributes its own section through
`hooks.register("personal_data_export", fn)` in its `wagtail_hooks.py`, where
`fn(user) -> dict` returns `{"<app name>": <JSON-serialisable data about user>}`.
An app's function must only read rows that belong to `user`, and must not grow its query
count with the number of rows (select_related / values()).
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.utils import timezone
from wagtail import hooks

FORMAT_VERSION = 1


def personal_data(user) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for fn in hooks.get_hooks("personal_data_export"):
        for app, data in (fn(user) or {}).items():
            if app in sections:
                raise ValueError(f"two personal_data_export hooks returned the section {app!r}")
            sections[app] = data
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "nip": user.nip,
        "sections": dict(sorted(sections.items())),
    }


def profile_section(user) -> dict[str, Any]:
    """The portal's own section: the profile as the staff register and the portal keep it."""
    unit = user.org_unit
    atasan = user.atasan
    return {
        "profile": {
            "nip": user.nip,
            "full_name": user.full_name,
            "email": user.email,
            "jabatan": user.jabatan,
            "jenis_jabatan": user.jenis_jabatan,
            "pangkat_golongan": user.pangkat_golongan,
            "status_kepegawaian": user.status_kepegawaian,
            "unit_kerja": {"code": unit.code, "name": unit.label} if unit else None,
            "atasan": {"nip": atasan.nip, "full_name": atasan.full_name} if atasan else None,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "board_opt_out": user.board_opt_out,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "updated_at": user.updated_at,
        },
        "authenticators": [
            # the kind and dates only: secrets never leave the server
            {"type": kind, "created_at": created, "last_used_at": used}
            for kind, created, used in Authenticator.objects.filter(user=user)
            .order_by("pk")
            .values_list("type", "created_at", "last_used_at")
        ],
    }
