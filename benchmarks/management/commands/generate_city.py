"""`manage.py generate_city`: a whole Bandung year of data for the city-scale benchmarks.

Only with the benchmark settings (the `benchmarks` app is installed there and nowhere else):

    DJANGO_SETTINGS_MODULE=benchmarks.settings python manage.py generate_city --people 16000

or `make city`. Seeds the demo's people, board, training and stories first (so the demo
accounts can sign in and modules exist), then the city (`benchmarks.city`).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from benchmarks.city import CityError, generate
from cms.demo import seed_stories
from leaderboard.demo import seed_leaderboard_demo
from portal.demo import seed_people
from training.demo import seed_training_demo


class Command(BaseCommand):
    help = "Generate a deterministic city of N people with a year of performance data."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=16000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD; default: today"
        )

    def handle(self, *args, people: int, seed: int, today: dt.date | None, **options):
        if people < 100:
            raise CommandError("--people must be at least 100")
        seed_people(stdout=self.stdout)
        seed_leaderboard_demo(stdout=self.stdout)
        seed_training_demo(stdout=self.stdout)
        seed_stories(stdout=self.stdout)
        try:
            counts = generate(people=people, seed=seed, today=today, stdout=self.stdout)
        except CityError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"generate_city: {counts}"))
