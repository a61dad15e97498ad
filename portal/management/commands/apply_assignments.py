"""Daily: bring the User snapshot (unit, atasan, jabatan) in step with the assignments that
start today or ended yesterday (`portal.staffing.services.refresh_snapshots`). Safe to run
again; `--days` catches up missed runs."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.management.count_command import CountCommand
from portal.staffing.services import refresh_snapshots


class Command(CountCommand):
    help = gettext_lazy(
        "Perbarui unit kerja, atasan dan jabatan pegawai sesuai penempatan yang mulai berlaku "
        "atau berakhir hari ini."
    )
    option = "days"
    option_help = gettext_lazy("Ikut periksa sekian hari terakhir (menyusul jadwal yang terlewat).")
    too_small = gettext_lazy("--days harus paling sedikit 1.")

    def run(self, days: int) -> None:
        written = refresh_snapshots(days=days)
        self.stdout.write(_("Data pegawai diperbarui: %(count)d orang.") % {"count": written})
