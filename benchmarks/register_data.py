"""A staff register of N rows for the register sync (benchmark and tests): the people spread
over the OPDs in the database (63 at city scale), each OPD a tree under its head (a JPT,
`kepala_unit` = ya) with four bawahan per atasan, the rows shuffled (a fixed seed) so atasan
come before and after their bawahan in the file. Deterministic: the same N gives the same rows.
"""

from __future__ import annotations

import random

from portal.models import OrgUnit

from .board_data import FIRST_NAMES, LAST_NAMES, bench_nip

REGISTER_DOMAIN = "sinkron.bandung.go.id"
HEADER = [
    "nip",
    "nama_lengkap",
    "email",
    "jabatan",
    "jenis_jabatan",
    "pangkat_golongan",
    "status",
    "kode_unit",
    "nip_atasan",
    "kepala_unit",
]
LEVELS = [
    ("jpt", "Kepala", "Pembina Utama Muda (IV/c)"),
    ("administrator", "Kepala Bidang", "Pembina (IV/a)"),
    ("pengawas", "Kepala Seksi", "Penata Tk. I (III/d)"),
    ("fungsional", "Analis Kebijakan Ahli Muda", "Penata (III/c)"),
    ("pelaksana", "Pengelola Layanan", "Pengatur (II/c)"),
]


def opd_codes(count: int = 63) -> list[str]:
    """The codes of the first `count` top-level units (the OPDs of the data migration)."""
    units = OrgUnit.objects.filter(parent__isnull=True).order_by("pk")
    return list(units.values_list("code", flat=True)[:count])


def register_rows(n: int, codes: list[str], *, offset: int = 0) -> list[dict[str, str]]:
    """`n` register rows (as `read_register` returns them) over the units `codes`."""
    rows = []
    per_unit: dict[str, list[str]] = {code: [] for code in codes}
    for i in range(n):
        code = codes[i % len(codes)]
        members = per_unit[code]
        k = len(members)
        depth, j = 0, k
        while j:  # the place in the unit's tree of four bawahan per atasan
            j, depth = (j - 1) // 4, depth + 1
        jenis, jabatan, pangkat = LEVELS[min(depth, len(LEVELS) - 1)]
        nip = bench_nip(offset + i)
        rows.append(
            {
                "nip": nip,
                "nama_lengkap": f"{FIRST_NAMES[i % len(FIRST_NAMES)]} "
                f"{LAST_NAMES[(i // 7) % len(LAST_NAMES)]} {i}",
                "email": f"pegawai{offset + i}@{REGISTER_DOMAIN}",
                "jabatan": jabatan,
                "jenis_jabatan": jenis,
                "pangkat_golongan": pangkat,
                "status": "PNS",
                "kode_unit": code,
                "nip_atasan": members[(k - 1) // 4] if k else "",
                "kepala_unit": "ya" if k == 0 else "tidak",
            }
        )
        members.append(nip)
    random.Random(18).shuffle(rows)
    return rows
