"""The plan of a generated Bandung (`generate_city`): the 63 real Perangkat Daerah with a tree
below them and N people in posts, each with an atasan chain. Pure data from a seed: the same
seed gives the same city (`CityPlan.digest`), with no database involved.

Shape, for 16,000 people (the shares scale with N):
- Dinas Pendidikan: a sekretariat and four bidang, and schools (UPTD) with a kepala sekolah
  and teachers: about 38 % of the city;
- Dinas Kesehatan: bidang and puskesmas: about 11 %; the two RSUD and the RS Khusus: 9 %;
- 30 kecamatan, each with a sekretariat, three seksi and five kelurahan: 15 %;
- every other OPD (sekretariat, inspektorat, badan, dinas, Satpol PP): bidang and seksi.
A head of OPD has no atasan in the portal (Admin BKPSDM designates their rater: Sekretaris
Daerah, and "Wali Kota" for the Sekretaris Daerah); everyone else's atasan is the head of the
unit above, so every chain ends at an OPD head within three steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "portal" / "data" / "perangkat_daerah.json"

FIRST = [
    "Asep",
    "Dedi",
    "Euis",
    "Iis",
    "Ujang",
    "Neng",
    "Cecep",
    "Yayan",
    "Rina",
    "Dadang",
    "Agus",
    "Budi",
    "Siti",
    "Dewi",
    "Rudi",
    "Yusuf",
    "Nenden",
    "Lilis",
    "Ikhsan",
    "Fajar",
    "Wawan",
    "Teguh",
    "Rosita",
    "Indra",
    "Hendra",
    "Nia",
    "Ratna",
    "Dian",
    "Galih",
    "Sri",
]
LAST = [
    "Suryana",
    "Hidayat",
    "Permana",
    "Rahayu",
    "Kurniawan",
    "Nurjanah",
    "Saputra",
    "Gunawan",
    "Setiawan",
    "Wibowo",
    "Sumarna",
    "Somantri",
    "Rukmana",
    "Firmansyah",
    "Kusnadi",
    "Hermawan",
    "Ramdani",
    "Sukmana",
    "Purnama",
    "Lestari",
]

# Share of the city's people per kind of OPD (before the per-OPD split), and the posts below.
SHARES = {"pendidikan": 0.38, "kesehatan": 0.11, "rumah_sakit": 0.09, "kecamatan": 0.15}
STAFF_PER_SCHOOL = 16
STAFF_PER_PUSKESMAS = 20


@dataclass
class Unit:
    key: str  # unique within the plan: the OPD's code, or code/suffix
    name: str
    kind: str  # OrgUnit.Kind value
    parent: str | None  # key of the parent unit (None: an OPD, which already exists)
    head_title: str = ""
    head_jenis: str = "pengawas"


@dataclass
class Person:
    index: int
    nip: str
    full_name: str
    email: str
    unit: str  # Unit.key
    jabatan: str
    jenis: str
    atasan: int | None  # Person.index
    is_head: bool = False
    level: int = 0  # steps below the OPD head


@dataclass
class CityPlan:
    seed: int
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def digest(self) -> str:
        rows = [(u.key, u.kind, u.parent) for u in self.units] + [
            (p.nip, p.full_name, p.unit, p.jabatan, p.atasan) for p in self.people
        ]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]

    def levels(self) -> list[list[Person]]:
        """People by level: heads first, so an atasan is always written before their staff."""
        top = max((p.level for p in self.people), default=0)
        return [[p for p in self.people if p.level == n] for n in range(top + 1)]


def opds() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["perangkat_daerah"]


def _group(entry: dict) -> str:
    name = entry["name"]
    if "Pendidikan" in name:
        return "pendidikan"
    if name == "Dinas Kesehatan":
        return "kesehatan"
    if entry["type"] in ("rsud", "rs_khusus"):
        return "rumah_sakit"
    if entry["type"] == "kecamatan":
        return "kecamatan"
    return "lainnya"


def _head_title(entry: dict) -> tuple[str, str]:
    name = entry["name"]
    if entry["type"] == "kecamatan":
        return f"Camat {name.removeprefix('Kecamatan ')}", "administrator"
    if entry["type"] == "sekretariat" and name == "Sekretariat Daerah":
        return "Sekretaris Daerah", "jpt"
    if entry["type"] == "sekretariat":
        return f"Sekretaris {name.removeprefix('Sekretariat ')}", "jpt"
    if entry["type"] in ("rsud", "rs_khusus"):
        return f"Direktur {name}", "jpt"
    return f"Kepala {name}", "jpt"


class _People:
    """Hands out unique valid NIPs, names and e-mails, deterministically."""

    def __init__(self, rng: random.Random, year: int):
        self.rng, self.year, self.nips, self.people = rng, year, set(), []

    def nip(self) -> str:
        while True:
            birth = dt.date(1966, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 34 * 365))
            tmt_year = min(birth.year + self.rng.randint(22, 30), self.year - 1)
            nip = f"{birth:%Y%m%d}{tmt_year}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 2)}"
            nip += f"{self.rng.randint(1, 999):03d}"
            if nip not in self.nips:
                self.nips.add(nip)
                return nip

    def add(self, unit: Unit, jabatan: str, jenis: str, atasan: Person | None, head: bool):
        i = len(self.people)
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        person = Person(
            index=i,
            nip=self.nip(),
            full_name=name,
            email=f"{slugify(name).replace('-', '.')}.{i}@kota.bench.local",
            unit=unit.key,
            jabatan=jabatan,
            jenis=jenis,
            atasan=atasan.index if atasan else None,
            is_head=head,
            level=atasan.level + 1 if atasan else 0,
        )
        self.people.append(person)
        return person


def plan_city(*, people: int = 16000, seed: int = 1, year: int = 2025) -> CityPlan:
    rng = random.Random(seed)
    plan = CityPlan(seed=seed)
    entries = opds()
    groups = [_group(e) for e in entries]
    others = groups.count("lainnya")
    quota = {}
    for entry, group in zip(entries, groups, strict=True):
        share = SHARES.get(group)
        if share is None:
            share = (1 - sum(SHARES.values())) / others
        elif group in ("rumah_sakit", "kecamatan"):
            share /= groups.count(group)
        quota[entry["name"]] = max(8, round(people * share))
    scale = people / sum(quota.values())
    crowd = _People(rng, year)
    for n, (entry, group) in enumerate(zip(entries, groups, strict=True)):
        size = max(8, round(quota[entry["name"]] * scale))
        if n == len(entries) - 1:  # the last OPD takes what rounding left over
            size = max(8, people - len(crowd.people))
        _plan_opd(plan, crowd, rng, entry, group, size)
    plan.people = crowd.people[:people] if len(crowd.people) > people else crowd.people
    kept = {p.index for p in plan.people}
    for person in plan.people:  # a cut at the end never leaves a dangling atasan
        if person.atasan is not None and person.atasan not in kept:
            person.atasan = None
    return plan


def _plan_opd(plan, crowd: _People, rng, entry: dict, group: str, size: int) -> None:
    code = slugify(entry["name"])
    title, jenis = _head_title(entry)
    opd = Unit(code, entry["name"], entry["type"], None, title, jenis)
    start = len(crowd.people)
    head = crowd.add(opd, title, jenis, None, True)
    middle: list[tuple[Unit, Person]] = []  # administrator-level units and their heads
    leaves: list[tuple[Unit, Person]] = []  # units where the staff work

    def unit(suffix, name, kind, parent: Unit, title, jenis_head, atasan: Person):
        child = Unit(f"{code}/{suffix}", name, kind, parent.key, title, jenis_head)
        plan.units.append(child)
        return child, crowd.add(child, title, jenis_head, atasan, True)

    if group == "kecamatan":
        place = entry["name"].removeprefix("Kecamatan ")
        sek = unit("sekretariat", f"Sekretariat {entry['name']}", "bagian", opd,
                   f"Sekretaris Kecamatan {place}", "administrator", head)  # fmt: skip
        leaves.append(sek)
        for n in range(1, 4):
            leaves.append(unit(f"seksi-{n}", f"Seksi {n} {entry['name']}", "seksi", opd,
                               f"Kepala Seksi {n}", "pengawas", head))  # fmt: skip
        for n in range(1, 6):
            leaves.append(unit(f"kelurahan-{n}", f"Kelurahan {place} {n}", "kelurahan", opd,
                               f"Lurah {place} {n}", "pengawas", head))  # fmt: skip
    else:
        n_bidang = 3 if size < 120 else 4
        middle.append(unit("sekretariat", f"Sekretariat {entry['name']}", "bagian", opd,
                           "Sekretaris", "administrator", head))  # fmt: skip
        for n in range(1, n_bidang + 1):
            middle.append(unit(f"bidang-{n}", f"Bidang {n}", "bidang", opd,
                               f"Kepala Bidang {n}", "administrator", head))  # fmt: skip
        for parent, boss in middle:
            for n in range(1, 3):
                kind = "subbagian" if parent.kind == "bagian" else "seksi"
                leaves.append(unit(f"{parent.key.rsplit('/', 1)[1]}-{n}",
                                   f"{kind.title()} {n} {parent.name}", kind, parent,
                                   f"Kepala {kind.title()} {n}", "pengawas", boss))  # fmt: skip
        if group in ("pendidikan", "kesehatan"):
            per = STAFF_PER_SCHOOL if group == "pendidikan" else STAFF_PER_PUSKESMAS
            label = "Sekolah" if group == "pendidikan" else "Puskesmas"
            for n in range(1, max(1, (size - len(crowd.people) + start) // per) + 1):
                boss = middle[1 + n % (len(middle) - 1)]
                leaves.append(unit(f"uptd-{n}", f"{label} {n}", "uptd", boss[0],
                                   f"Kepala {label} {n}", "pengawas", boss[1]))  # fmt: skip
    staff_titles = {
        "pendidikan": ("Guru", "fungsional"),
        "kesehatan": ("Perawat", "fungsional"),
        "rumah_sakit": ("Perawat", "fungsional"),
    }
    while len(crowd.people) - start < size:
        leaf, boss = leaves[rng.randrange(len(leaves))]
        if rng.random() < 0.5 and group in staff_titles:
            jabatan, jenis = staff_titles[group]
        else:
            jabatan, jenis = rng.choice(
                [("Pengadministrasi Umum", "pelaksana"), ("Analis Kebijakan", "fungsional"),
                 ("Pengelola Data", "pelaksana"), ("Pranata Komputer", "fungsional")]
            )  # fmt: skip
        crowd.add(leaf, jabatan, jenis, boss, False)
