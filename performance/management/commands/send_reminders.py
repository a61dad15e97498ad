"""Remind employees to submit their periodic report: safe to run from cron every hour."""

from django.core.management.base import BaseCommand

from performance.reminders import send_reminders


class Command(BaseCommand):
    help = "Kirim pengingat laporan periodik (sebelum batas waktu dan saat terlambat), sekali per orang dan periode."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(
            f"Pengingat terkirim: {sent['before']} sebelum batas waktu, {sent['overdue']} terlambat."
        )
