"""The leaderboard's models by topic: the ledger and scores, recognitions, badges, kiosk links."""

from .badges import Badge, BadgeAward
from .kiosk import KioskLink
from .ledger import ALL_TIME, PointEntry, Score, season_of
from .recognitions import Giving, Recognition

__all__ = [
    "ALL_TIME",
    "Badge",
    "BadgeAward",
    "Giving",
    "KioskLink",
    "PointEntry",
    "Recognition",
    "Score",
    "season_of",
]
