"""Send the e-mails of portal notifications waiting in the outbox: safe to run every minute,
and on two machines at once (each sender takes the rows the other has not locked)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.management.count_command import CountCommand
from portal.outbox import send_pending_emails


class Command(CountCommand):
    help = gettext_lazy("Kirim e-mail notifikasi kinerja yang masih menunggu di antrean.")
    option = "limit"
    default = 100
    option_help = gettext_lazy("E-mail per kelompok (satu koneksi server surat, satu transaksi).")
    too_small = gettext_lazy("--limit harus paling sedikit 1.")

    def run(self, limit: int) -> None:
        sent = failed = given_up = 0
        # Batch after batch until the outbox is drained (the deadline hour leaves thousands).
        # A failed e-mail waits for its retry time, so this run does not pick it again; a batch
        # that sent nothing (mail server down) ends the run.
        while True:
            result = send_pending_emails(limit=limit)
            sent += result.sent
            failed += result.failed
            given_up += result.given_up
            if result.picked < limit or not (result.sent or result.no_address):
                break
        self.stdout.write(
            _("E-mail notifikasi: %(sent)d terkirim, %(failed)d gagal.")
            % {"sent": sent, "failed": failed + given_up}
        )
        if given_up:
            self.stdout.write(
                _(
                    "%(count)d e-mail dihentikan setelah %(max)d kali gagal; notifikasinya tetap ada di portal."
                )
                % {"count": given_up, "max": settings.PERFORMANCE_EMAIL_MAX_ATTEMPTS}
            )
