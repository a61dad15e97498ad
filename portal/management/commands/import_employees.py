from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.services import import_employees, read_register


class Command(BaseCommand):
    help = (
        "Impor data pegawai dari ekspor register kepegawaian (.csv atau .xlsx). Membuat atau "
        "memperbarui pegawai berdasarkan NIP; tidak ada yang disimpan bila ada baris yang salah "
        "(--partial: baris yang benar disimpan, yang salah dilaporkan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, jangan simpan")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="simpan baris yang benar, laporkan baris yang salah",
        )

    def handle(self, *args, file: Path, dry_run: bool, partial: bool = False, **options):
        if not file.exists():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        try:
            rows = read_register(file.read_bytes(), file.name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = import_employees(rows=rows, dry_run=dry_run, partial=partial)
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok and not (partial and result.written):
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada data yang disimpan.")
        verb = "akan dibuat" if dry_run else "dibuat"
        verb2 = "akan diperbarui" if dry_run else "diperbarui"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} pegawai {verb}, {len(result.updated)} pegawai {verb2}"
                + (" (uji coba, tidak ada yang disimpan)." if dry_run else ".")
            )
        )
