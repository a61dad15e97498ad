"""Demo training content for `manage.py seed_demo` (hook order 20). Idempotent.

Structured facts (BerAKHLAK values and their panduan perilaku, rating levels, the predikat
matrix) come from portal/data/asn_performance.json; the prose follows PermenPANRB 6/2022 as
summarised in the project's domain reference. Modules that already exist are left as the
editors made them.
"""

from __future__ import annotations

import uuid
from html import escape

from django.apps import apps as django_apps
from django.db import transaction

from portal.domain import berakhlak_values, domain_data

from .editorial import ensure_editorial_setup
from .models import LessonPage, ModuleConfirmation, TrainingIndexPage, TrainingModulePage

NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4f57-9a59-2a4cf0f0b8e1")

SOSIALISASI_SLUG = "pengenalan-sistem-manajemen-kinerja-asn"
BERAKHLAK_SLUG = "berakhlak-dalam-pekerjaan-sehari-hari"


def _id(*parts: str) -> str:
    """A stable block id, so that choice tokens survive a re-seed of a fresh database."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def text(html: str, *key: str) -> dict:
    return {"type": "text", "value": html, "id": _id("text", *key)}


def callout(kind: str, title: str, html: str, *key: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": kind, "title": title, "text": html},
        "id": _id("callout", *key),
    }


def question(
    key: str, prompt: str, choices: list[tuple[str, bool]], explanation: str, *, multiple=False
) -> dict:
    return {
        "type": "multiple_choice" if multiple else "single_choice",
        "id": _id("q", key),
        "value": {
            "question": prompt,
            "choices": [
                {
                    "type": "item",
                    "id": _id("c", key, str(n)),
                    "value": {"text": choice, "is_correct": correct},
                }
                for n, (choice, correct) in enumerate(choices)
            ],
            "explanation": explanation,
        },
    }


def ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


# --- facts from the domain data --------------------------------------------------------------


def rating_labels() -> list[str]:
    scale = domain_data()["rating_levels"]["scale"]
    return [level["label"] for level in sorted(scale, key=lambda level: -level["order"])]


def predikat_labels() -> list[str]:
    predikat = domain_data()["rating_levels"]["predikat"]
    return [p["label"] for p in sorted(predikat, key=lambda p: -p["order"])]


def predikat_of(hasil: str, perilaku: str) -> str:
    return domain_data()["predikat_matrix"]["matrix"][hasil][perilaku]


def predikat_table() -> str:
    """The predikat matrix as a list (rich text holds no tables; a list also suits phones)."""
    labels = rating_labels()
    items = [
        f"Hasil kerja {escape(hasil)} + perilaku kerja {escape(perilaku)} → "
        f"<b>{escape(predikat_of(hasil, perilaku))}</b>"
        for hasil in labels
        for perilaku in labels
    ]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# --- module 1: the mandatory socialisation -----------------------------------------------------


def sosialisasi_lessons() -> list[tuple[str, str, list[dict]]]:
    ratings = rating_labels()
    predikat = predikat_labels()
    stages = domain_data()["kurva_distribusi"]["stages"]
    return [
        (
            "Tujuan dan manfaat manajemen kinerja",
            "tujuan-dan-manfaat",
            [
                text(
                    "<p>Pengelolaan kinerja pegawai ASN diatur dalam <b>Peraturan Menteri PANRB "
                    "Nomor 6 Tahun 2022</b> tentang Pengelolaan Kinerja Pegawai Aparatur Sipil "
                    "Negara, yang ditetapkan pada 3 Februari 2022. Aturan ini berlaku untuk "
                    "<b>PNS dan PPPK</b>, dan menggantikan PermenPANRB Nomor 8 Tahun 2021.</p>"
                    "<h2>Tujuannya</h2>"
                    "<p>Menurut Pasal 2, pengelolaan kinerja bertujuan untuk:</p>"
                    + ul(
                        [
                            "mencapai tujuan dan sasaran organisasi melalui peningkatan kualitas "
                            "dan kapasitas pegawai;",
                            "memperkuat peran pimpinan dalam mengelola kinerja;",
                            "memperkuat kolaborasi: antara pimpinan dan pegawai, antarpegawai, "
                            "serta antara pegawai dan pemangku kepentingan.",
                        ]
                    )
                    + "<h2>Arah yang baru</h2>"
                    "<p>Pasal 3 menekankan bahwa pengelolaan kinerja berorientasi pada "
                    "pengembangan kinerja pegawai, pemenuhan <b>ekspektasi pimpinan</b>, "
                    "<b>dialog kinerja</b> yang intens antara pimpinan dan pegawai, pencapaian "
                    "kinerja organisasi, serta <b>hasil kerja dan perilaku kerja</b> sekaligus.</p>",
                    "s1",
                    "a",
                ),
                callout(
                    "info",
                    "Empat tahap pengelolaan kinerja (Pasal 5)",
                    "<ol><li><b>Perencanaan kinerja</b>: penetapan dan klarifikasi ekspektasi "
                    "(menyusun dan menetapkan SKP).</li>"
                    "<li><b>Pelaksanaan, pemantauan, dan pembinaan kinerja</b>: pendokumentasian "
                    "kinerja, umpan balik berkelanjutan, dan pengembangan kinerja pegawai.</li>"
                    "<li><b>Penilaian kinerja</b>: evaluasi kinerja pegawai, periodik dan "
                    "tahunan.</li>"
                    "<li><b>Tindak lanjut hasil evaluasi</b>: pemberian penghargaan dan "
                    "sanksi.</li></ol>",
                    "s1",
                    "b",
                ),
                text(
                    "<h2>Apa manfaatnya bagi Anda?</h2>"
                    + ul(
                        [
                            "Anda tahu sejak awal apa yang diharapkan pimpinan, karena "
                            "ekspektasi dibicarakan dan dituliskan bersama.",
                            "Anda mendapat umpan balik sepanjang tahun, bukan hanya di akhir "
                            "tahun, sehingga ada waktu untuk memperbaiki.",
                            "Kerja baik Anda tercatat lewat bukti dukung dan dapat diapresiasi.",
                            "Hasil kerja dan perilaku kerja dinilai bersama: cara bekerja "
                            "sama pentingnya dengan hasilnya.",
                        ]
                    ),
                    "s1",
                    "c",
                ),
            ],
        ),
        (
            "Cara penilaian bekerja: SKP, evaluasi, umpan balik, dan predikat",
            "cara-penilaian-bekerja",
            [
                text(
                    "<h2>1. Sasaran Kinerja Pegawai (SKP)</h2>"
                    "<p>Di awal periode, pegawai dan pimpinan menyepakati SKP melalui dialog "
                    "kinerja. SKP memuat:</p>"
                    + ul(
                        [
                            "Rencana Hasil Kerja (RHK) utama dan tambahan, masing-masing terhubung "
                            "ke RHK pimpinan yang diintervensi;",
                            "indikator kinerja individu dan target untuk setiap RHK, dengan aspek "
                            "kuantitas, kualitas, waktu, atau biaya;",
                            "perilaku kerja: ketujuh nilai BerAKHLAK beserta ekspektasi khusus "
                            "pimpinan;",
                            "lampiran: dukungan sumber daya, skema pertanggungjawaban, dan "
                            "konsekuensi.",
                        ]
                    )
                    + "<p>SKP dapat disusun dengan pendekatan <b>kuantitatif</b> (ekspektasi "
                    "terukur dengan indikator dan target) atau <b>kualitatif</b> (ekspektasi "
                    "dirumuskan secara naratif).</p>"
                    "<h2>2. Evaluasi periodik dan tahunan</h2>"
                    "<p>Kinerja dievaluasi secara periodik dalam tahun berjalan dan secara "
                    "tahunan. Pada setiap evaluasi, pegawai melaporkan realisasi berdasarkan "
                    "<b>bukti dukung</b>.</p>"
                    "<h2>3. Umpan balik berkelanjutan</h2>"
                    "<p>Pimpinan memberi umpan balik berdasarkan bukti dukung, baik untuk setiap "
                    "hasil kerja maupun untuk setiap nilai perilaku. Umpan balik bukan vonis: "
                    "ia adalah percakapan agar kinerja terus berkembang.</p>",
                    "s2",
                    "a",
                ),
                text(
                    "<h2>4. Rating dan predikat</h2>"
                    "<p>Hasil kerja dan perilaku kerja masing-masing diberi rating: "
                    + ", ".join(f"<b>{escape(label)}</b>" for label in ratings)
                    + ". Gabungan keduanya menghasilkan salah satu dari lima predikat kinerja: "
                    + ", ".join(escape(label) for label in predikat)
                    + ".</p><p>Kuadran kinerja (rating hasil kerja dan rating perilaku kerja):</p>"
                    + predikat_table(),
                    "s2",
                    "b",
                ),
                callout(
                    "penting",
                    "Perilaku ikut menentukan",
                    "<p>Hasil kerja yang di atas ekspektasi tidak cukup bila perilaku kerja di "
                    "bawah ekspektasi: predikatnya menjadi "
                    f"<b>{escape(predikat_of(ratings[0], ratings[-1]))}</b>. Predikat "
                    f"<b>{escape(predikat_of(ratings[0], ratings[0]))}</b> hanya diperoleh bila "
                    "hasil kerja dan perilaku kerja sama-sama di atas ekspektasi.</p>",
                    "s2",
                    "c",
                ),
                text(
                    "<h2>5. Capaian kinerja organisasi</h2>"
                    "<p>Predikat pegawai juga memperhatikan capaian kinerja unit kerjanya:</p>"
                    "<ol>" + "".join(f"<li>{escape(stage)}.</li>" for stage in stages) + "</ol>",
                    "s2",
                    "d",
                ),
            ],
        ),
        (
            "Menerapkan dalam pekerjaan dan tantangannya",
            "penerapan-dan-tantangan",
            [
                text(
                    "<h2>Langkah sehari-hari</h2>"
                    "<ol><li><b>Mulai dengan dialog.</b> Bicarakan ekspektasi dengan atasan "
                    "sebelum menulis SKP. Tanyakan RHK atasan mana yang Anda dukung.</li>"
                    "<li><b>Catat bukti sejak hari pertama.</b> Simpan dokumen, foto kegiatan, "
                    "atau tautan hasil kerja saat pekerjaan selesai, bukan menjelang tenggat.</li>"
                    "<li><b>Laporkan secara berkala.</b> Isi realisasi dan bukti dukung di portal "
                    "ini untuk setiap periode.</li>"
                    "<li><b>Minta dan tanggapi umpan balik.</b> Balas umpan balik atasan, "
                    "tanyakan yang belum jelas, dan sepakati perbaikan.</li></ol>",
                    "s3",
                    "a",
                ),
                text(
                    "<h2>Tantangan yang sering muncul</h2>"
                    + ul(
                        [
                            "Data atasan penilai yang keliru sehingga SKP tidak bisa diajukan: "
                            "periksa profil Anda sejak awal dan laporkan ke pengelola "
                            "kepegawaian di OPD Anda.",
                            "Laporan yang menumpuk di akhir periode: bagi pekerjaan pelaporan "
                            "menjadi kebiasaan kecil setiap minggu.",
                            "Bukti dukung yang tidak lengkap: umpan balik harus berdasarkan "
                            "bukti, jadi kerja tanpa bukti sulit dinilai.",
                            "Godaan melaporkan kegiatan yang tidak terjadi: laporan harus jujur. "
                            "Laporan fiktif melanggar nilai Akuntabel dan merugikan semua pihak.",
                        ]
                    ),
                    "s3",
                    "b",
                ),
                callout(
                    "tip",
                    "Tentang aplikasi e-Kinerja BKN",
                    "<p>Aplikasi e-Kinerja BKN wajib digunakan seluruh PNS dan PPPK. Portal ini "
                    "membantu Anda belajar, menyiapkan laporan bersama atasan, dan mendapat "
                    "apresiasi; ikuti arahan BKPSDM tentang pengisian e-Kinerja BKN.</p>",
                    "s3",
                    "c",
                ),
            ],
        ),
        (
            "Kisah sukses: Bandung Smart City",
            "kisah-sukses-bandung-smart-city",
            [
                text(
                    "<p>Kota Bandung sudah lama memakai data dan teknologi untuk bekerja lebih "
                    "baik. Beberapa tonggaknya:</p>"
                    + ul(
                        [
                            "Bandung Command Center di Balai Kota beroperasi sejak Januari 2015, "
                            "terinspirasi dari Singapura.",
                            "Sekitar 352 aplikasi perangkat daerah diintegrasikan ke Bandung "
                            "Command Center (Dinas Komunikasi dan Informatika).",
                            "Aplikasi e-RK (Elektronik Remunerasi Kinerja) diujicobakan pada 2016 "
                            "di lima SKPD dan digunakan di seluruh Pemerintah Kota Bandung sejak "
                            "2017; ASN mencatat kegiatan harian beserta buktinya.",
                            "Aplikasi e-RK dihibahkan kepada Ombudsman RI pada Oktober 2018 dan "
                            "dipelajari daerah lain.",
                        ]
                    ),
                    "s4",
                    "a",
                ),
                text(
                    "<h2>Pelajaran untuk kita</h2>"
                    "<p>Keberhasilan itu bukan soal aplikasinya saja. Data yang dicatat dengan "
                    "jujur, dilaporkan tepat waktu, dan dipakai untuk berdialog membuat "
                    "pelayanan lebih cepat dan keputusan lebih tepat. Manajemen kinerja "
                    "menurut PermenPANRB 6/2022 memakai cara berpikir yang sama: ekspektasi yang "
                    "jelas, bukti dukung, dan umpan balik yang terus-menerus.</p>",
                    "s4",
                    "b",
                ),
            ],
        ),
        (
            "Kesimpulan dan langkah berikutnya",
            "kesimpulan",
            [
                text(
                    "<p>Manajemen kinerja bukan formulir tahunan, melainkan siklus: "
                    "merencanakan bersama, bekerja dan mendokumentasikan, mendapat umpan balik, "
                    "dievaluasi, lalu ditindaklanjuti dengan penghargaan atau perbaikan.</p>"
                    "<h2>Yang perlu Anda lakukan</h2>"
                    "<ol><li>Susun SKP bersama atasan melalui dialog kinerja.</li>"
                    "<li>Laporkan realisasi dan bukti dukung setiap periode.</li>"
                    "<li>Tanggapi umpan balik dan terapkan nilai BerAKHLAK.</li></ol>"
                    "<p>Setelah menandai pelajaran ini selesai, kerjakan kuis. Bila lulus, "
                    "sertifikat dengan JP langsung terbit dan bisa Anda unduh.</p>",
                    "s5",
                    "a",
                ),
            ],
        ),
    ]


def sosialisasi_quiz() -> list[dict]:
    ratings = rating_labels()
    predikat = predikat_labels()
    top, mid, low = ratings[0], ratings[1], ratings[-1]
    answer = predikat_of(mid, low)
    return [
        question(
            "s-1",
            "Siapa saja yang diatur oleh PermenPANRB Nomor 6 Tahun 2022?",
            [
                ("Hanya pejabat pimpinan tinggi", False),
                ("PNS dan PPPK", True),
                ("Hanya PNS", False),
                ("Hanya PPPK", False),
            ],
            "Pengelolaan kinerja menurut PermenPANRB 6/2022 berlaku untuk PNS dan PPPK.",
        ),
        question(
            "s-2",
            "Manakah yang termasuk tahap pengelolaan kinerja menurut Pasal 5?",
            [
                ("Perencanaan kinerja", True),
                ("Pemeringkatan pegawai berdasarkan jumlah jam lembur", False),
                ("Penilaian kinerja", True),
                ("Tindak lanjut hasil evaluasi", True),
                ("Pemotongan gaji otomatis setiap bulan", False),
            ],
            "Empat tahapnya: perencanaan; pelaksanaan, pemantauan, dan pembinaan; penilaian; "
            "serta tindak lanjut hasil evaluasi.",
            multiple=True,
        ),
        question(
            "s-3",
            "Apa saja yang dimuat dalam SKP?",
            [
                ("Daftar hadir harian pegawai", False),
                ("Rencana hasil kerja dengan indikator dan target", True),
                ("Perilaku kerja BerAKHLAK dengan ekspektasi khusus pimpinan", True),
                ("Lampiran dukungan sumber daya, skema pertanggungjawaban, dan konsekuensi", True),
            ],
            "SKP memuat hasil kerja (RHK, indikator, target), perilaku kerja, dan lampiran; "
            "daftar hadir bukan bagian SKP.",
            multiple=True,
        ),
        question(
            "s-4",
            f"Hasil kerja dinilai “{mid}”, tetapi perilaku kerja “{low}”. Apa predikatnya?",
            [(label, label == answer) for label in predikat],
            f"Menurut kuadran kinerja, kombinasi ini menghasilkan predikat {answer}: perilaku "
            "kerja ikut menentukan.",
        ),
        question(
            "s-5",
            "Umpan balik berkelanjutan dari pimpinan diberikan berdasarkan …",
            [
                ("kesan pribadi pimpinan di akhir tahun", False),
                ("bukti dukung realisasi kerja", True),
                ("jumlah pesan yang dikirim pegawai", False),
                ("hasil undian", False),
            ],
            "Formulir evaluasi memuat realisasi dan umpan balik berkelanjutan berdasarkan bukti "
            "dukung.",
        ),
        question(
            "s-6",
            "Tingkat rating yang dipakai untuk hasil kerja dan perilaku kerja adalah …",
            [
                (", ".join(ratings), True),
                (", ".join(predikat[:3]), False),
                ("A, B, C, D", False),
                ("Memuaskan, Cukup, Kurang", False),
            ],
            f"Rating memakai tiga tingkat: {', '.join(ratings)}. Predikat ({', '.join(predikat)}) "
            "adalah gabungan keduanya.",
        ),
        question(
            "s-7",
            "Sejak kapan Bandung Command Center beroperasi?",
            [("2010", False), ("2015", True), ("2019", False), ("2022", False)],
            "Bandung Command Center di Balai Kota beroperasi sejak Januari 2015.",
        ),
        question(
            "s-8",
            f"Kapan seorang pegawai mendapat predikat “{predikat_of(top, top)}”?",
            [
                ("Bila hasil kerja di atas ekspektasi, apa pun perilakunya", False),
                ("Bila hasil kerja dan perilaku kerja sama-sama di atas ekspektasi", True),
                ("Bila tidak pernah terlambat masuk kerja", False),
                ("Bila laporannya paling banyak di unitnya", False),
            ],
            f"{predikat_of(top, top)} hanya diperoleh bila rating hasil kerja dan rating "
            f"perilaku kerja sama-sama {top}.",
        ),
    ]


# --- module 2: BerAKHLAK in daily work -----------------------------------------------------------

EXAMPLES = {
    "berorientasi_pelayanan": "Petugas loket menjelaskan syarat layanan dengan ramah, "
    "menawarkan jalan keluar ketika berkas kurang, lalu mengusulkan perbaikan formulir agar "
    "warga tidak bolak-balik.",
    "akuntabel": "Pegawai mencatat penggunaan kendaraan dinas dengan jujur, memakai anggaran "
    "sesuai peruntukan, dan tidak memakai jabatan untuk kepentingan pribadi.",
    "kompeten": "Pranata komputer mempelajari teknik baru untuk tugasnya, lalu membagikan "
    "catatannya kepada rekan satu tim.",
    "harmonis": "Di rapat, setiap pendapat didengar tanpa memandang golongan atau latar belakang; "
    "rekan yang kewalahan dibantu.",
    "loyal": "Pegawai menjaga kerahasiaan data kependudukan dan tidak menyebarkan informasi "
    "internal yang belum boleh dipublikasikan.",
    "adaptif": "Ketika layanan berpindah ke aplikasi, tim segera belajar, mencoba cara baru, dan "
    "proaktif menyiapkan panduan untuk warga.",
    "kolaboratif": "Kecamatan, puskesmas, dan dinas terkait berbagi data dan sumber daya untuk "
    "satu program bersama.",
}


def berakhlak_lessons() -> list[tuple[str, str, list[dict]]]:
    values = berakhlak_values()
    lessons = [
        (
            "Mengenal BerAKHLAK",
            "mengenal-berakhlak",
            [
                text(
                    "<p>BerAKHLAK adalah nilai dasar ASN. Dalam SKP, ketujuh nilai ini menjadi "
                    "bagian <b>perilaku kerja</b>: setiap nilai punya tiga panduan perilaku dan "
                    "dapat disertai ekspektasi khusus pimpinan.</p>"
                    + ul([value["name"] for value in values])
                    + "<p>Pelajaran berikut membahas satu nilai per halaman, dengan panduan "
                    "perilakunya dan contoh di lingkungan Pemerintah Kota Bandung.</p>",
                    "b0",
                    "a",
                )
            ],
        )
    ]
    for value in values:
        lessons.append(
            (
                value["name"],
                value["code"].replace("_", "-"),
                [
                    text(
                        "<h2>Panduan perilaku</h2>" + ul(value["indicators"]),
                        "b",
                        value["code"],
                    ),
                    callout(
                        "tip",
                        "Contoh di tempat kerja",
                        f"<p>{escape(EXAMPLES.get(value['code'], ''))}</p>",
                        "b",
                        value["code"],
                    ),
                ],
            )
        )
    return lessons


def berakhlak_quiz() -> list[dict]:
    values = berakhlak_values()
    names = [value["name"] for value in values]
    questions = []
    for n, value in enumerate(values[:5]):
        others = [name for name in names if name != value["name"]]
        options = sorted([value["name"], *others[n % 3 : n % 3 + 3]])
        questions.append(
            question(
                f"b-{value['code']}",
                f"Panduan perilaku “{value['indicators'][0]}” termasuk nilai …",
                [(name, name == value["name"]) for name in options],
                f"Panduan ini adalah bagian dari nilai {value['name']}.",
            )
        )
    akuntabel = next(value for value in values if value["code"] == "akuntabel")
    distractors = [
        value["indicators"][1] for value in values if value["code"] in ("harmonis", "adaptif")
    ]
    options = akuntabel["indicators"] + distractors
    questions.append(
        question(
            "b-akuntabel-semua",
            "Pilih semua panduan perilaku nilai Akuntabel.",
            [(option, option in akuntabel["indicators"]) for option in sorted(options)],
            "Akuntabel: " + "; ".join(akuntabel["indicators"]) + ".",
            multiple=True,
        )
    )
    return questions


# --- seeding -------------------------------------------------------------------------------------


def _ensure_module(index, slug: str, fields: dict, lessons, quiz) -> TrainingModulePage:
    module = TrainingModulePage.objects.child_of(index).filter(slug=slug).first()
    if module is not None:
        if module.live and not module.confirmations.exists():
            # A demo database seeded before confirmations existed (training.0003).
            ModuleConfirmation.objects.create(
                module=module, jp=module.jp_hours, mandatory=module.mandatory, note="seed_demo"
            )
        return module
    module = TrainingModulePage(slug=slug, quiz=quiz, **fields)
    index.add_child(instance=module)
    module.save_revision().publish()
    # Demo modules come confirmed (no confirmer: seeded); real ones wait for Admin BKPSDM.
    ModuleConfirmation.objects.create(
        module=module, jp=module.jp_hours, mandatory=module.mandatory, note="seed_demo"
    )
    for title, lesson_slug, body in lessons:
        lesson = LessonPage(title=title, slug=lesson_slug, body=body)
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    return module


@transaction.atomic
def seed_training_demo(stdout=None) -> dict[str, TrainingModulePage]:
    ensure_editorial_setup(django_apps)
    index = TrainingIndexPage.objects.order_by("path").first()
    if index is None:
        if stdout:
            stdout.write("  tidak ada halaman beranda publik; pelatihan demo dilewati")
        return {}
    sosialisasi = _ensure_module(
        index,
        SOSIALISASI_SLUG,
        {
            "title": "Pengenalan Sistem Manajemen Kinerja ASN",
            "summary": (
                "Apa tujuan manajemen kinerja menurut PermenPANRB 6/2022, bagaimana SKP, "
                "evaluasi periodik, umpan balik berkelanjutan, dan predikat bekerja, serta "
                "bagaimana menerapkannya di Pemerintah Kota Bandung."
            ),
            "minutes": 60,
            "jp_hours": 4,
            "mandatory": True,
            "berakhlak_values": ["akuntabel", "kompeten"],
            "pass_mark": 70,
            "attempt_limit": 3,
            "lessons_in_order": True,
        },
        sosialisasi_lessons(),
        sosialisasi_quiz(),
    )
    berakhlak = _ensure_module(
        index,
        BERAKHLAK_SLUG,
        {
            "title": "BerAKHLAK dalam Pekerjaan Sehari-hari",
            "summary": (
                "Tujuh nilai dasar ASN dan panduan perilakunya, dengan contoh nyata dari "
                "pekerjaan sehari-hari di lingkungan Pemerintah Kota Bandung."
            ),
            "minutes": 45,
            "jp_hours": 2,
            "mandatory": False,
            "berakhlak_values": [value["code"] for value in berakhlak_values()],
            "prerequisite": sosialisasi,
            "pass_mark": 80,
            "attempt_limit": 3,
            "lessons_in_order": False,
        },
        berakhlak_lessons(),
        berakhlak_quiz(),
    )
    if stdout:
        stdout.write(
            f"  katalog {index.url_path}: {TrainingModulePage.objects.child_of(index).count()} modul"
        )
    return {"sosialisasi": sosialisasi, "berakhlak": berakhlak}
