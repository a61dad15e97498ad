"""Daily: bring the User snapshot (unit, atasan, jabatan) in step with the assignments that
start today or ended yesterday (`portal.staffing.services.refresh_snapshots`). Safe to run
again; `--days` catches up missed runs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.staffing.services import refresh_snapshots


class Command(BaseCommand):
    help = gettext_lazy(
        "Perbarui unit kerja, atasan dan jabatan pegawai sesuai penempatan yang mulai berlaku "
        "atau berakhir hari ini."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=1,
            help=gettext_lazy("Ikut periksa sekian hari terakhir (menyusul jadwal yang terlewat)."),
        )

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError(_("--days harus paling sedikit 1."))
        written = refresh_snapshots(days=days)
        self.stdout.write(_("Data pegawai diperbarui: %(count)d orang.") % {"count": written})
