from wagtail import hooks


# --- personal data export (issue 9, trust) -------------------------------------------------
@hooks.register("personal_data_export")
def leaderboard_personal_data(user) -> dict:
    """The user's ledger entries and scores, for /beranda/data-saya/ (portal.privacy)."""
    from .models import PointEntry, Score

    entries = PointEntry.objects.filter(user=user).select_related("created_by").order_by("pk")
    return {
        "leaderboard": {
            "point_entries": [
                {
                    "id": entry.pk,
                    "created_at": entry.created_at,
                    "points": entry.points,
                    "reason": entry.reason,
                    "reason_label": entry.get_reason_display(),
                    "key": entry.key,
                    "season": entry.season,
                    "created_by": entry.created_by.full_name if entry.created_by else None,
                }
                for entry in entries
            ],
            "scores": list(
                Score.objects.filter(user=user)
                .order_by("season")
                .values("season", "total", "updated_at")
            ),
        }
    }


# --- end personal data export ---------------------------------------------------------------
