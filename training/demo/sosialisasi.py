"""Demo module 1: the mandatory socialisation of performance management (PermenPANRB 6/2022)."""

from __future__ import annotations

from html import escape

from portal.domain import domain_data

from .blocks import (
    callout,
    predikat_labels,
    predikat_of,
    predikat_table,
    question,
    rating_labels,
    text,
    ul,
)


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
