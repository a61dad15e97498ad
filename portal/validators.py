"""NIP (Nomor Induk Pegawai) validation.

PNS (Peraturan Kepala BKN 22/2007): 8 digits birth date YYYYMMDD, 6 digits TMT CPNS YYYYMM,
1 digit sex (1 laki-laki, 2 perempuan), 3 digits sequence (from 001).
PPPK (Nomor Induk PPPK): the same, except that the two digits after the year of first
appointment count the work agreements instead of a month. See docs/domain-reference.md.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_PATTERN = re.compile(r"^\d{18}$")


def normalize_nip(value: str) -> str:
    """People write NIPs with spaces or dots ("19860926 201505 1 001"): keep the digits."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_nip(value: str, *, status: str = "PNS", today: dt.date | None = None) -> None:
    """Raise ValidationError with every problem found in an 18-digit NIP."""
    today = today or dt.date.today()
    if not NIP_PATTERN.match(value or ""):
        raise ValidationError(_("NIP harus terdiri dari 18 angka."), code="nip_format")
    errors = []
    try:
        birth = dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        birth = None
        errors.append(_("8 angka pertama NIP bukan tanggal lahir yang sah (TTTTBBHH)."))
    if birth and not (birth.year >= 1940 and birth <= today.replace(year=today.year - 17)):
        errors.append(_("Tanggal lahir dalam NIP tidak masuk akal untuk seorang ASN."))
    tmt_year, tmt_part = int(value[8:12]), int(value[12:14])
    if status == "PNS" and not 1 <= tmt_part <= 12:
        errors.append(_("Angka ke-13 dan ke-14 NIP harus bulan TMT CPNS (01-12)."))
    if status == "PPPK" and tmt_part < 1:
        errors.append(_("Angka ke-13 dan ke-14 NI PPPK harus jumlah perjanjian kerja (01-99)."))
    if tmt_year > today.year or (birth and tmt_year < birth.year + 17):
        errors.append(_("Tahun TMT dalam NIP harus setelah usia 17 tahun dan tidak di masa depan."))
    elif status == "PNS" and 1 <= tmt_part <= 12 and dt.date(tmt_year, tmt_part, 1) > today:
        errors.append(_("TMT CPNS dalam NIP tidak boleh di masa depan."))
    if value[14] not in "12":
        errors.append(_("Angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)."))
    if value[15:18] == "000":
        errors.append(_("Nomor urut NIP (3 angka terakhir) dimulai dari 001."))
    if errors:
        raise ValidationError(errors, code="nip_invalid")


def validate_nip_field(value: str) -> None:
    """Field validator: the parts every NIP shares (status-specific checks run in User.clean)."""
    validate_nip(value, status="any")
