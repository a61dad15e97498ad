"""Demo badges and recognitions between the demo people (idempotent: fixed tokens)."""

from django.db import transaction

from portal.demo import demo_user

from .models import Badge, PointEntry
from .services import give_recognition

BADGES = [
    {
        "slug": "apresiasi-pertama",
        "name": "Apresiasi Pertama",
        "description": "Menerima apresiasi pertama dari atasan atau rekan kerja.",
        "icon": "star",
        "rule": Badge.Rule.RECOGNITIONS_RECEIVED,
        "threshold": 1,
    },
    {
        "slug": "pelayan-teladan",
        "name": "Pelayan Teladan",
        "description": "Menerima tiga apresiasi berpoin dari atasan.",
        "icon": "award",
        "rule": Badge.Rule.REASON_COUNT,
        "reason": PointEntry.Reason.RECOGNITION,
        "threshold": 3,
    },
    {
        "slug": "seratus-poin",
        "name": "Seratus Poin",
        "description": "Mengumpulkan 100 poin sepanjang masa.",
        "icon": "trophy",
        "rule": Badge.Rule.TOTAL_POINTS,
        "threshold": 100,
    },
    {
        "slug": "berakhlak-lengkap",
        "name": "BerAKHLAK Lengkap",
        "description": "Diapresiasi untuk tiga nilai BerAKHLAK yang berbeda.",
        "icon": "gem",
        "rule": Badge.Rule.DISTINCT_VALUES,
        "threshold": 3,
    },
    {
        "slug": "penyemangat",
        "name": "Penyemangat",
        "description": "Memberi lima apresiasi kepada rekan kerja.",
        "icon": "heart",
        "rule": Badge.Rule.RECOGNITIONS_GIVEN,
        "threshold": 5,
    },
]

# (token, giver, receiver, value, points, message)
RECOGNITIONS = [
    (
        "demo-1",
        "atasan",
        "pegawai",
        "berorientasi_pelayanan",
        25,
        "Aplikasi antrean online selesai sebelum tenggat dan warga langsung merasakan manfaatnya.",
    ),
    (
        "demo-2",
        "atasan",
        "fajar",
        "kolaboratif",
        10,
        "Membantu tim bidang lain memigrasikan server tanpa gangguan layanan.",
    ),
    (
        "demo-3",
        "atasan",
        "intan",
        "kompeten",
        10,
        "Membagikan ilmu keamanan aplikasi kepada seluruh bidang.",
    ),
    (
        "demo-4",
        "atasan",
        "pegawai",
        "adaptif",
        10,
        "Cepat menyesuaikan aplikasi ketika aturan layanan berubah.",
    ),
    (
        "demo-5",
        "bambang",
        "lina",
        "berorientasi_pelayanan",
        25,
        "Ramah dan sigap melayani pasien di puskesmas saat lonjakan kunjungan.",
    ),
    (
        "demo-6",
        "tatang",
        "ai",
        "berorientasi_pelayanan",
        10,
        "Pelayanan KTP elektronik selesai di hari yang sama untuk warga lansia.",
    ),
    (
        "demo-7",
        "fajar",
        "pegawai",
        "harmonis",
        0,
        "Terima kasih sudah membantu menyiapkan presentasi tim.",
    ),
]


@transaction.atomic
def seed_leaderboard_demo(*, stdout=None) -> None:
    for data in BADGES:
        Badge.objects.update_or_create(slug=data["slug"], defaults=data)
    given = 0
    for token, giver, receiver, value, points, message in RECOGNITIONS:
        give_recognition(
            giver=demo_user(giver),
            receiver=demo_user(receiver),
            value=value,
            message=message,
            points=points,
            token=token,
        )
        given += 1
    if stdout:
        stdout.write(f"  {len(BADGES)} lencana, {given} apresiasi demo")
