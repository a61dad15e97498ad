"""The board's section of the personal data export (/beranda/data-saya/, portal.privacy)."""

from .models import BadgeAward, PointEntry, Recognition, Score


def leaderboard_personal_data(user) -> dict:
    """The user's ledger entries and scores, for /beranda/data-saya/ (portal.privacy)."""
    entries = PointEntry.objects.filter(user=user).select_related("created_by").order_by("pk")
    recognitions = (
        Recognition.objects.involving(user).select_related("giver", "receiver").order_by("pk")
    )
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
                .values("season", "total", "level", "updated_at")
            ),
            "recognitions": [
                {
                    "id": r.pk,
                    "direction": "received" if r.receiver_id == user.pk else "given",
                    "giver": r.giver.full_name,
                    "receiver": r.receiver.full_name,
                    "value": r.value,
                    "message": r.message,
                    "points": r.points,
                    "created_at": r.created_at,
                    "revoked_at": r.revoked_at,
                    "revoke_reason": r.revoke_reason,
                }
                for r in recognitions
            ],
            "badges": [
                {"badge": award.badge.name, "awarded_at": award.awarded_at}
                for award in BadgeAward.objects.filter(user=user)
                .select_related("badge")
                .order_by("pk")
            ],
        }
    }
