"""Demo organisation and people for `manage.py seed_demo` (idempotent).

Names are invented; the Perangkat Daerah are the real ones loaded by migration. Units below
an OPD (bidang, seksi) are illustrative.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import ADMIN_BKPSDM, MODERATOR_KONTEN, TIM_KOMUNIKASI, OrgUnit, User
from .staffing import Assignment
from .staffing_services import assign, save_details

DEMO_PASSWORD = "portal-demo"


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

DEMO_ACCOUNTS = ["pegawai", "atasan", "komunikasi", "moderator", "bkpsdm"]


def nip_for(person: Person, sequence: int = 1) -> str:
    return f"{person.birth}{person.tmt}{person.sex}{sequence:03d}"


def email_for(person: Person) -> str:
    return f"{person.key}@demo.local"


def assignments_start() -> dt.date:
    """The demo's posts start with last year's cycle (performance's demo seeds it)."""
    return dt.date(timezone.localdate().year - 1, 1, 1)


@transaction.atomic
def seed_people(*, stdout=None) -> dict[str, User]:
    """Create (or refresh) the demo units and people; returns them by key. Their posts are
    assignments (source "demo") since 1 January of last year; a post changed in this file
    since the last run becomes a new assignment from today."""
    for code, name, kind, parent_code in UNITS:
        OrgUnit.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": OrgUnit.objects.get(code=parent_code)},
        )
    OrgUnit.objects.filter(code=OPD["bkpsdm"]).update(short_name="BKPSDM")
    groups = {group.name: group for group in Group.objects.all()}
    people: dict[str, User] = {}
    for person in PEOPLE:
        user = User.objects.filter(email=email_for(person)).first() or User(email=email_for(person))
        user.nip = nip_for(person)
        user.full_name = person.full_name
        user.jabatan = person.jabatan
        user.jenis_jabatan = person.jenis
        user.pangkat_golongan = person.golongan
        user.status_kepegawaian = person.status
        unit = user.org_unit = OrgUnit.objects.get(code=person.unit)
        atasan = user.atasan = people.get(person.atasan) if person.atasan else None
        user.is_active = True
        if not user.has_usable_password() or not user.pk:
            user.set_password(DEMO_PASSWORD)
        user.full_clean()
        save_details(user)
        assign(
            actor=None,
            person=user,
            org_unit=unit,
            jabatan=person.jabatan,
            jenis_jabatan=person.jenis,
            atasan=atasan,
            is_head=person.is_head,
            start=(
                timezone.localdate()
                if Assignment.objects.filter(person=user).exists()
                else assignments_start()
            ),
            source=Assignment.Source.DEMO,
        )
        user.groups.set([groups[name] for name in person.groups])
        people[person.key] = user
    if stdout:
        stdout.write(f"  {len(people)} pegawai demo di {len(UNITS)} unit kerja")
    return people


def demo_user(key: str) -> User:
    return User.objects.get(email=f"{key}@demo.local")


def birth_date(person: Person) -> dt.date:
    return dt.datetime.strptime(person.birth, "%Y%m%d").date()


def unit_code(name: str) -> str:
    return slugify(name)
