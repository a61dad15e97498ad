from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail import hooks

from portal.demo import seed_people


class Command(BaseCommand):
    help = (
        "Load the demo organisation, people and content (idempotent). Each app adds its part "
        'with hooks.register("seed_demo", fn) in its wagtail_hooks.py; fn(stdout=...) is '
        "called in hook order after the people exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never on a live portal)"
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo membuat akun demo dengan kata sandi yang diketahui umum; "
                "jalankan hanya dengan DJANGO_DEBUG=1, atau tambahkan --force."
            )
        self.stdout.write("Data demo: pegawai dan unit kerja")
        seed_people(stdout=self.stdout)
        for fn in hooks.get_hooks("seed_demo"):
            self.stdout.write(f"Data demo: {fn.__module__}.{fn.__name__}")
            fn(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Data demo siap. Kata sandi semua akun demo: portal-demo")
        )
