"""Step 1 of the register sync: a CSV or XLSX export of the staff register into rows keyed by
the portal's column names (aliases people tend to use map onto them)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Column names of the register export; aliases people tend to use map onto them.
COLUMNS = {
    "nip": ("nip",),
    "nama_lengkap": ("nama_lengkap", "nama"),
    "email": ("email", "e-mail", "surel"),
    "jabatan": ("jabatan",),
    "jenis_jabatan": ("jenis_jabatan",),
    "pangkat_golongan": ("pangkat_golongan", "pangkat", "golongan"),
    "status": ("status", "status_kepegawaian"),
    "kode_unit": ("kode_unit", "unit_kerja", "unit"),
    "nip_atasan": ("nip_atasan", "atasan"),
    # "ya": this person holds the unit's head post (Kepala Dinas, Camat, Kepala Bidang...);
    # "tidak": not; empty or no column: as today's assignment says while the unit stays, else
    # a JPT at the top of an OPD (`portal.staffing.services.head_post_default`).
    "kepala_unit": ("kepala_unit", "kepala"),
}
REQUIRED = ("nip", "nama_lengkap", "email", "kode_unit")


# An .xlsx is a zip: refuse one that would inflate beyond this before any parser sees it.
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def _check_xlsx_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: the reader says so below
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("Isi berkas .xlsx terlalu besar setelah dibuka (lebih dari 100 MB).")
        )


def read_register(data: bytes, filename: str) -> list[dict[str, str]]:
    """Parse a CSV or XLSX export into rows keyed by our column names."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(_("Format berkas harus .csv atau .xlsx."))
    if suffix == ".xlsx":
        _check_xlsx_size(data)
    try:
        if suffix == ".csv":
            text = data.decode("utf-8-sig")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        else:
            dataset = tablib.Dataset().load(data, format="xlsx")
    except Exception as exc:  # a damaged file fails in csv, zipfile, openpyxl or lxml
        raise ValidationError(
            _(
                "Berkas tidak dapat dibaca sebagai %(format)s. Simpan ulang dari aplikasi "
                "asalnya (CSV UTF-8 atau Excel .xlsx), lalu unggah lagi."
            )
            % {"format": suffix[1:].upper()}
        ) from exc
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    headers = [
        aliases.get((h or "").strip().lower().replace(" ", "_")) for h in dataset.headers or []
    ]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for raw in dataset:
        row = {
            col: ("" if value is None else str(value)).strip()
            for col, value in zip(headers, raw, strict=False)
            if col
        }
        rows.append(row)
    return rows
