"""Demo content for `seed_demo` (idempotent: stories are looked up by slug).

The stories are written for this portal: the people are the invented demo employees, and
the only facts about Bandung are those in the domain reference (Bandung Command Center at
Balai Kota since January 2015; some 352 applications being integrated into it).
Published stories go through the real workflow: submitted, consented, approved.
"""

import io
import json
import random
from importlib import import_module

from django.apps import apps as django_apps
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext_noop
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site, TaskState

from portal.demo import OPD, demo_user
from portal.models import OrgUnit

from . import services
from .models import (
    ConsentRequest,
    FeaturedEmployee,
    HomePage,
    SiteChrome,
    StandardPage,
    StoryIndexPage,
    SuccessStoryPage,
)


def ensure_publication_setup() -> None:
    """The story index, workflow and permissions (re-made after a transactional flush)."""
    import_module("cms.migrations.0004_publikasi_cerita").setup_publication(django_apps, None)
    import_module("cms.migrations.0005_media_collections").setup_media_collections(
        django_apps, None
    )


def _p(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


STORIES = [
    {
        "slug": "satu-layar-banyak-dinas-command-center",
        "title": "Satu layar, banyak dinas: kerja bersama di Bandung Command Center",
        "intro": (
            "Sejak Januari 2015 Bandung Command Center di Balai Kota menjadi tempat data dari "
            "berbagai perangkat daerah bertemu. Tim Aplikasi Informatika Diskominfo bercerita "
            "tentang menyatukan ratusan aplikasi tanpa meninggalkan satu dinas pun."
        ),
        "opd": "diskominfo",
        "values": ["kolaboratif", "adaptif"],
        "tags": ["Bandung Smart City", "Transformasi Digital"],
        "people": [
            ("fajar", "koordinator integrasi aplikasi"),
            ("intan", "penghubung dengan dinas"),
        ],
        "palette": ((11, 93, 59), (242, 183, 5)),
        "motif": "screens",
        "state": "live",
        "body": [
            _p(
                "Bandung Command Center berjalan di Balai Kota sejak Januari 2015. Gagasannya "
                "sederhana: data dari banyak dinas tampil di satu tempat, sehingga keputusan "
                "bisa diambil bersama dan cepat.",
                "Pekerjaan besarnya justru ada di belakang layar. Sekitar 352 aplikasi sedang "
                "diintegrasikan ke Command Center, dan setiap aplikasi punya pemilik, kebiasaan, "
                "dan bahasa datanya sendiri.",
            ),
            {
                "type": "quote",
                "value": {
                    "text": "Kami belajar bahwa integrasi itu soal orang dulu, baru soal sistem.",
                    "attribution": "Fajar Nugraha, Pranata Komputer Ahli Muda",
                },
            },
            _p(
                "Fajar dan Intan memulai dengan mendatangi operator di tiap dinas, mencatat data "
                "apa yang mereka butuhkan, dan menyepakati format bersama sebelum menulis satu "
                "baris kode pun. Setiap kesepakatan dicatat sebagai rencana hasil kerja di SKP "
                "masing-masing, lengkap dengan bukti dukung.",
            ),
            {
                "type": "key_figures",
                "value": {
                    "heading": "Sekilas",
                    "figures": [
                        {"value": "2015", "label": "Command Center mulai berjalan di Balai Kota"},
                        {"value": "±352", "label": "aplikasi dalam proses integrasi"},
                    ],
                },
            },
        ],
    },
    {
        "slug": "layanan-kependudukan-kecamatan-coblong",
        "title": "Kecamatan Coblong merapikan antrean layanan kependudukan",
        "intro": (
            "Seksi Pelayanan Umum Kecamatan Coblong menata ulang alur layanan: warga tahu "
            "persyaratan sebelum datang, dan petugas tahu apa yang harus disiapkan."
        ),
        "opd": "coblong",
        "values": ["berorientasi_pelayanan", "harmonis"],
        "tags": ["Inovasi Pelayanan Publik"],
        "people": [("ai", "petugas layanan kependudukan"), ("sri", "pengolah data antrean")],
        "palette": ((21, 101, 192), (255, 214, 102)),
        "motif": "queue",
        "state": "live",
        "body": [
            _p(
                "Banyak warga datang ke kantor kecamatan dengan berkas yang belum lengkap. Ai dan "
                "Sri mulai mencatat pertanyaan yang paling sering diajukan di meja layanan, lalu "
                "menyusunnya menjadi daftar persyaratan yang dibagikan sebelum warga datang.",
                "Data antrean harian juga mulai dicatat, sehingga Seksi Pelayanan Umum bisa "
                "menambah petugas pada jam ramai.",
            ),
            {
                "type": "quote",
                "value": {
                    "text": "Warga tidak perlu bolak-balik lagi hanya karena satu fotokopi.",
                    "attribution": "Ai Nurjanah, Seksi Pelayanan Umum",
                },
            },
        ],
    },
    {
        "slug": "pencatatan-layanan-kesehatan-ibu",
        "title": "Catatan kunjungan ibu hamil yang tidak lagi tercecer",
        "intro": (
            "Perawat dan bidan di Bidang Pelayanan Kesehatan Dinas Kesehatan menyatukan catatan "
            "kunjungan, sehingga tindak lanjut tidak terlewat."
        ),
        "opd": "dinkes",
        "values": ["berorientasi_pelayanan", "kompeten"],
        "tags": ["Kesehatan Ibu dan Anak"],
        "people": [("lina", "penggagas format catatan"), ("euis", "pelaksana di lapangan")],
        "palette": ((183, 28, 28), (255, 255, 255)),
        "motif": "health",
        "state": "live",
        "body": [
            _p(
                "Catatan kunjungan yang tersebar di beberapa buku membuat jadwal kontrol mudah "
                "terlewat. Lina menyusun satu format catatan bersama, dan Euis mencobanya selama "
                "satu bulan sebelum dipakai seluruh tim.",
                "Hasilnya dibahas dalam umpan balik berkelanjutan bersama atasan, dan perbaikan "
                "kecil terus ditambahkan setiap bulan.",
            )
        ],
    },
    {
        "slug": "dasbor-data-layanan-aplikasi",
        "title": "Dasbor data layanan yang dibaca setiap pagi",
        "intro": (
            "Dimas membuat dasbor sederhana untuk memantau layanan aplikasi yang dikelola "
            "Bidang Aplikasi Informatika."
        ),
        "opd": "diskominfo",
        "values": ["kompeten", "adaptif"],
        "tags": ["Bandung Smart City"],
        "people": [("pegawai", "pembuat dasbor")],
        "palette": ((69, 39, 160), (129, 212, 250)),
        "motif": "chart",
        "state": "consent",
        "body": [
            _p(
                "Setiap pagi tim membuka dasbor yang sama dan membahas layanan yang melambat. "
                "Keputusan perbaikan tidak lagi menunggu laporan bulanan.",
            )
        ],
    },
    {
        "slug": "statistik-sektoral-untuk-semua",
        "title": "Statistik sektoral yang mudah dibaca semua dinas",
        "intro": (
            "Nenden menata ulang cara Bidang Aplikasi Informatika menyajikan data statistik "
            "sektoral bagi dinas lain."
        ),
        "opd": "diskominfo",
        "values": ["kolaboratif"],
        "tags": ["Bandung Smart City"],
        "people": [("nenden", "penyusun statistik")],
        "palette": ((0, 105, 92), (255, 171, 64)),
        "motif": "chart",
        "state": "moderation",
        "body": [
            _p(
                "Tabel yang panjang diganti grafik sederhana dengan penjelasan singkat, dan "
                "setiap dinas mendapat ringkasan data yang relevan untuk mereka.",
            )
        ],
    },
]

GUIDE = {
    "slug": "panduan",
    "title": "Panduan dan tanya jawab",
    "intro": "Cara memakai portal ini, dan jawaban atas pertanyaan yang paling sering diajukan.",
    "body": [
        _p(
            "<b>Bagaimana cerita sukses diterbitkan?</b> Tim Komunikasi menulis cerita dan "
            "mengajukannya. Setiap pegawai yang disebut dalam cerita menerima permintaan "
            "persetujuan di beranda mereka. Setelah semua setuju, Moderator Konten memeriksa "
            "dan menerbitkannya.",
            "<b>Saya tidak ingin ditampilkan. Apa yang harus saya lakukan?</b> Pilih "
            "“Tidak setuju” pada permintaan persetujuan dan tuliskan alasannya. Cerita tidak "
            "akan terbit dengan nama Anda.",
            "<b>Di mana saya mengikuti pelatihan sosialisasi?</b> Buka menu Pelatihan. "
            "Modul wajib perlu diselesaikan sebelum laporan berkala pertama Anda.",
        )
    ],
}


def make_illustration(palette, motif: str, seed: int) -> bytes:
    """A simple, locally drawn illustration (no network, no stock photos)."""
    width, height = 1600, 900
    base, accent = palette
    image = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for y in range(height):  # vertical gradient towards a lighter tone
        t = y / height
        colour = tuple(int(c + (255 - c) * 0.35 * t) for c in base)
        draw.line([(0, y), (width, y)], fill=colour)
    for _ in range(14):  # soft circles
        r = rng.randint(40, 160)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=accent, width=6)
    if motif == "screens":
        for row in range(3):
            for col in range(5):
                x0, y0 = 260 + col * 220, 200 + row * 150
                draw.rounded_rectangle([x0, y0, x0 + 190, y0 + 120], 12, fill=(20, 30, 40))
                draw.line(
                    [(x0 + 20, y0 + 90), (x0 + 80, y0 + 50), (x0 + 170, y0 + 70)],
                    fill=accent,
                    width=5,
                )
    elif motif == "queue":
        for i in range(7):
            x = 250 + i * 170
            draw.ellipse([x, 380, x + 90, 470], fill=accent)
            draw.rounded_rectangle([x - 10, 480, x + 100, 700], 30, fill=(255, 255, 255))
    elif motif == "health":
        draw.rounded_rectangle([650, 250, 950, 650], 30, fill=(255, 255, 255))
        draw.rectangle([770, 300, 830, 600], fill=base)
        draw.rectangle([700, 420, 900, 480], fill=base)
    else:  # chart
        for i in range(8):
            h = rng.randint(120, 520)
            draw.rectangle([300 + i * 130, 760 - h, 390 + i * 130, 760], fill=accent)
        draw.line([(260, 760), (1360, 760)], fill=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def demo_image(title: str, palette, motif: str, seed: int):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image:
        return image
    data = make_illustration(palette, motif, seed)
    image = Image(title=title, file=ImageFile(io.BytesIO(data), name=f"demo-{seed}.jpg"))
    # focal point on the centre of the motif: crops on phones keep it in view
    image.focal_point_x, image.focal_point_y = 800, 480
    image.focal_point_width, image.focal_point_height = 700, 420
    image.save()
    return image


def _run_workflow(story: SuccessStoryPage, author, until: str) -> None:
    """Submit as the author; consent; moderator approves ("live"); or stop earlier."""
    workflow = story.get_workflow()
    workflow.start(story, author)
    if until == "consent":
        return
    for consent_request in ConsentRequest.objects.filter(page=story, status=ConsentRequest.PENDING):
        services.answer_consent(
            consent_request=consent_request,
            user=consent_request.user,
            approve=True,
            comment="Saya setuju.",
        )
    if until == "moderation":
        return
    task_state = TaskState.objects.get(pk=story.current_workflow_task_state.pk).specific
    task_state.task.specific.on_action(
        task_state, demo_user("moderator"), "approve", comment="Siap terbit."
    )


@transaction.atomic
def seed_stories(*, stdout=None) -> None:
    ensure_publication_setup()
    index = StoryIndexPage.objects.first()
    home = HomePage.objects.first()
    author = demo_user("komunikasi")
    created = 0
    for number, spec in enumerate(STORIES, start=1):
        if SuccessStoryPage.objects.filter(slug=spec["slug"]).exists():
            continue
        image = demo_image(f"Ilustrasi: {spec['title']}", spec["palette"], spec["motif"], number)
        story = SuccessStoryPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            hero_image=image,
            body=json.dumps(spec["body"]),
            org_unit=OrgUnit.objects.get(code=OPD[spec["opd"]]),
            berakhlak_values=spec["values"],
            owner=author,
            live=False,
        )
        for order, (key, role) in enumerate(spec["people"]):
            story.featured_employees.add(
                FeaturedEmployee(user=demo_user(key), role=role, sort_order=order)
            )
        index.add_child(instance=story)
        story.tags.add(*spec["tags"])
        story.save_revision(user=author, log_action=True)
        _run_workflow(story, author, spec["state"])
        created += 1
    if home and not StandardPage.objects.filter(slug=GUIDE["slug"]).exists():
        guide = StandardPage(
            title=GUIDE["title"],
            slug=GUIDE["slug"],
            intro=GUIDE["intro"],
            body=json.dumps(GUIDE["body"]),
        )
        home.add_child(instance=guide)
        guide.save_revision(user=author).publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        chrome = SiteChrome.for_site(site)
        if not chrome.nav_links:
            chrome.nav_links = json.dumps(
                [
                    {
                        "type": "link",
                        "value": {"label": gettext_noop("Panduan"), "url": "/panduan/"},
                    },
                    {"type": "link", "value": {"label": gettext_noop("Cari"), "url": "/cari/"}},
                ]
            )
            chrome.footer_links = json.dumps(
                [
                    {
                        "type": "link",
                        "value": {"label": gettext_noop("Panduan dan FAQ"), "url": "/panduan/"},
                    },
                    {
                        "type": "link",
                        "value": {"label": gettext_noop("RSS cerita"), "url": "/cerita/feed/rss/"},
                    },
                ]
            )
            chrome.save()
    if stdout:
        stdout.write(f"  {created} cerita demo baru, panduan dan navigasi situs")
