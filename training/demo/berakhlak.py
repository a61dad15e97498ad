"""Demo module 2: BerAKHLAK in daily work."""

from __future__ import annotations

from html import escape

from portal.domain import berakhlak_values

from .blocks import callout, question, text, ul

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
