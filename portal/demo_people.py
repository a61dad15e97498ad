"""The demo's organisation and people, as data (`portal.demo` seeds them). Names are invented;
the Perangkat Daerah are the real ones loaded by migration. Units below an OPD (bidang, seksi)
are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import ADMIN_BKPSDM, MODERATOR_KONTEN, TIM_KOMUNIKASI


@dataclass(frozen=True)
class Person:
    key: str  # stable handle, also the local part of the e-mail address
    full_name: str
    unit: str  # code of the OrgUnit
    jabatan: str
    jenis: str
    golongan: str
    birth: str  # YYYYMMDD
    tmt: str  # YYYYMM
    sex: int
    atasan: str | None = None
    status: str = "PNS"
    groups: tuple[str, ...] = ()

    @property
    def is_head(self) -> bool:
        """Every "Kepala ..." and the Camat of the demo heads the unit they sit in."""
        return self.jabatan.startswith("Kepala") or self.jabatan == "Camat"


OPD = {
    "diskominfo": "dinas-komunikasi-dan-informatika",
    "bkpsdm": "badan-kepegawaian-dan-pengembangan-sumber-daya-manusia",
    "dinkes": "dinas-kesehatan",
    "coblong": "kecamatan-coblong",
}

# (code, name, kind, parent code)
UNITS = [
    ("diskominfo-aptika", "Bidang Aplikasi Informatika", "bidang", OPD["diskominfo"]),
    ("diskominfo-ikp", "Bidang Informasi dan Komunikasi Publik", "bidang", OPD["diskominfo"]),
    (
        "bkpsdm-penilaian-kinerja",
        "Bidang Penilaian Kinerja dan Penghargaan",
        "bidang",
        OPD["bkpsdm"],
    ),
    ("dinkes-yankes", "Bidang Pelayanan Kesehatan", "bidang", OPD["dinkes"]),
    ("coblong-pelayanan", "Seksi Pelayanan Umum", "seksi", OPD["coblong"]),
]

PEOPLE = [
    # Dinas Komunikasi dan Informatika
    Person(
        "kadis.kominfo",
        "Dr. Asep Suhendar, M.Si.",
        OPD["diskominfo"],
        "Kepala Dinas",
        "jpt",
        "Pembina Utama Muda (IV/c)",
        "19720314",
        "199803",
        1,
    ),
    Person(
        "atasan",
        "Rina Marlina, S.Kom., M.T.",
        "diskominfo-aptika",
        "Kepala Bidang Aplikasi Informatika",
        "administrator",
        "Pembina (IV/a)",
        "19800522",
        "200503",
        2,
        "kadis.kominfo",
    ),
    Person(
        "pegawai",
        "Dimas Pratama, S.Kom.",
        "diskominfo-aptika",
        "Pranata Komputer Ahli Pertama",
        "fungsional",
        "Penata Muda (III/a)",
        "19960818",
        "202001",
        1,
        "atasan",
    ),
    Person(
        "fajar",
        "Fajar Nugraha, S.T.",
        "diskominfo-aptika",
        "Pranata Komputer Ahli Muda",
        "fungsional",
        "Penata (III/c)",
        "19890207",
        "201403",
        1,
        "atasan",
    ),
    Person(
        "intan",
        "Intan Permatasari, S.Kom.",
        "diskominfo-aptika",
        "Pranata Komputer Ahli Pertama",
        "fungsional",
        "Penata Muda Tk. I (III/b)",
        "19930411",
        "201903",
        2,
        "atasan",
    ),
    Person(
        "yoga",
        "Yoga Aditya Ramadhan, A.Md.",
        "diskominfo-aptika",
        "Pranata Komputer Terampil",
        "fungsional",
        "Pengatur (II/c)",
        "19980105",
        "202207",
        1,
        "atasan",
        "PPPK",
    ),
    Person(
        "nenden",
        "Nenden Sri Rahayu, S.Si.",
        "diskominfo-aptika",
        "Statistisi Ahli Pertama",
        "fungsional",
        "Penata Muda (III/a)",
        "19950923",
        "202001",
        2,
        "atasan",
    ),
    Person(
        "moderator",
        "Wulan Sari Dewi, S.I.Kom., M.Si.",
        "diskominfo-ikp",
        "Kepala Bidang Informasi dan Komunikasi Publik",
        "administrator",
        "Pembina (IV/a)",
        "19820630",
        "200604",
        2,
        "kadis.kominfo",
        groups=(MODERATOR_KONTEN,),
    ),
    Person(
        "komunikasi",
        "Siti Nurhaliza, S.I.Kom.",
        "diskominfo-ikp",
        "Pranata Hubungan Masyarakat Ahli Pertama",
        "fungsional",
        "Penata Muda Tk. I (III/b)",
        "19940215",
        "201903",
        2,
        "moderator",
        groups=(TIM_KOMUNIKASI,),
    ),
    Person(
        "rizky",
        "Rizky Maulana, S.Sn.",
        "diskominfo-ikp",
        "Pranata Hubungan Masyarakat Ahli Pertama",
        "fungsional",
        "Penata Muda (III/a)",
        "19970704",
        "202101",
        1,
        "moderator",
        groups=(TIM_KOMUNIKASI,),
    ),
    # BKPSDM
    Person(
        "kaban.bkpsdm",
        "Drs. Teguh Wibowo, M.M.",
        OPD["bkpsdm"],
        "Kepala Badan",
        "jpt",
        "Pembina Utama Muda (IV/c)",
        "19700808",
        "199603",
        1,
    ),
    Person(
        "ratna",
        "Ratna Komalasari, S.Psi., M.Psi.",
        "bkpsdm-penilaian-kinerja",
        "Kepala Bidang Penilaian Kinerja dan Penghargaan",
        "administrator",
        "Pembina (IV/a)",
        "19811111",
        "200603",
        2,
        "kaban.bkpsdm",
    ),
    Person(
        "bkpsdm",
        "Yudi Firmansyah, S.E.",
        "bkpsdm-penilaian-kinerja",
        "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "fungsional",
        "Penata (III/c)",
        "19880319",
        "201203",
        1,
        "ratna",
        groups=(ADMIN_BKPSDM,),
    ),
    Person(
        "dewi",
        "Dewi Lestari, S.AP.",
        "bkpsdm-penilaian-kinerja",
        "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
        "fungsional",
        "Penata Muda Tk. I (III/b)",
        "19920527",
        "201803",
        2,
        "ratna",
    ),
    Person(
        "hendra",
        "Hendra Saputra",
        "bkpsdm-penilaian-kinerja",
        "Pengadministrasi Perkantoran",
        "pelaksana",
        "Pengatur Muda Tk. I (II/b)",
        "19900102",
        "201412",
        1,
        "ratna",
    ),
    # Dinas Kesehatan
    Person(
        "kadis.kesehatan",
        "dr. Anita Rosmalasari, M.K.M.",
        OPD["dinkes"],
        "Kepala Dinas",
        "jpt",
        "Pembina Utama Muda (IV/c)",
        "19730425",
        "200002",
        2,
    ),
    Person(
        "bambang",
        "dr. Bambang Hermawan, M.Kes.",
        "dinkes-yankes",
        "Kepala Bidang Pelayanan Kesehatan",
        "administrator",
        "Pembina (IV/a)",
        "19790915",
        "200503",
        1,
        "kadis.kesehatan",
    ),
    Person(
        "lina",
        "Lina Herlina, S.Kep., Ners",
        "dinkes-yankes",
        "Perawat Ahli Pertama",
        "fungsional",
        "Penata Muda Tk. I (III/b)",
        "19910620",
        "201703",
        2,
        "bambang",
    ),
    Person(
        "ujang",
        "Ujang Sopandi, S.KM.",
        "dinkes-yankes",
        "Epidemiolog Kesehatan Ahli Pertama",
        "fungsional",
        "Penata Muda (III/a)",
        "19940301",
        "202001",
        1,
        "bambang",
    ),
    Person(
        "euis",
        "Euis Kurniasih, A.Md.Keb.",
        "dinkes-yankes",
        "Bidan Terampil",
        "fungsional",
        "Pengatur (II/c)",
        "19960412",
        "202207",
        2,
        "bambang",
        "PPPK",
    ),
    # Kecamatan Coblong
    Person(
        "camat.coblong",
        "Iwan Ridwan, S.STP., M.Si.",
        OPD["coblong"],
        "Camat",
        "administrator",
        "Pembina (IV/a)",
        "19781201",
        "200011",
        1,
    ),
    Person(
        "tatang",
        "Tatang Sutisna, S.Sos.",
        "coblong-pelayanan",
        "Kepala Seksi Pelayanan Umum",
        "pengawas",
        "Penata Tk. I (III/d)",
        "19840718",
        "200903",
        1,
        "camat.coblong",
    ),
    Person(
        "ai",
        "Ai Nurjanah",
        "coblong-pelayanan",
        "Pengadministrasi Layanan Kependudukan",
        "pelaksana",
        "Pengatur (II/c)",
        "19930808",
        "201503",
        2,
        "tatang",
    ),
    Person(
        "gilang",
        "Gilang Ramadhan, S.H.",
        "coblong-pelayanan",
        "Analis Kebijakan Ahli Pertama",
        "fungsional",
        "Penata Muda (III/a)",
        "19970226",
        "202101",
        1,
        "tatang",
    ),
    Person(
        "sri",
        "Sri Mulyani, A.Md.",
        "coblong-pelayanan",
        "Pengolah Data Pelayanan",
        "pelaksana",
        "Pengatur (II/c)",
        "19950910",
        "201903",
        2,
        "tatang",
    ),
]
