from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from portal import page_cache


class LeaderboardConfig(AppConfig):
    name = "leaderboard"
    verbose_name = _("Apresiasi dan papan peringkat")

    def ready(self) -> None:
        # local: the board reads the models, importable only once the apps are ready
        from . import board

        # The board caches names, opt-outs and the unit map (leaderboard/board.py); people and
        # units belong to `portal`, which knows nothing of the board: signals connect the two.
        # Not on deleting a person: their points and recognitions protect them from deletion,
        # so a person who can be deleted is on no board.
        post_save.connect(board.forget_board_on_user_change, sender="portal.User")
        post_save.connect(board.forget_board_on_change, sender="portal.OrgUnit")
        post_delete.connect(board.forget_board_on_change, sender="portal.OrgUnit")
        # A success story lists the recognitions it was written from (Recognition.story).
        page_cache.invalidate_on("leaderboard.Recognition")
