"""Demo organisation and people for `manage.py seed_demo` (idempotent); the data is in
`portal.demo_people`.
"""

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .demo_people import OPD, PEOPLE, UNITS, Person
from .models import OrgUnit, User
from .staffing import Assignment
from .staffing.services import assign, save_details

DEMO_PASSWORD = "portal-demo"
DEMO_ACCOUNTS = ["pegawai", "atasan", "komunikasi", "moderator", "bkpsdm"]


def nip_for(person: Person, sequence: int = 1) -> str:
    return f"{person.birth}{person.tmt}{person.sex}{sequence:03d}"


def email_for(person: Person) -> str:
    return f"{person.key}@demo.local"


def assignments_start() -> dt.date:
    """The demo's posts start with last year's cycle (performance's demo seeds it)."""
    return dt.date(timezone.localdate().year - 1, 1, 1)


def seed_person(person: Person, *, atasan: User | None, is_head: bool, update: bool = True) -> User:
    """The demo person with their details and post (an assignment, source "demo", since 1 January
    of last year; a post changed since the last run becomes a new one from today). An existing
    person is left as they are when not `update`."""
    user = User.objects.filter(email=email_for(person)).first()
    if user is not None and not update:
        return user
    user = user or User(email=email_for(person))
    user.nip = nip_for(person)
    user.full_name = person.full_name
    user.jabatan = person.jabatan
    user.jenis_jabatan = person.jenis
    user.pangkat_golongan = person.golongan
    user.status_kepegawaian = person.status
    unit = user.org_unit = OrgUnit.objects.get(code=person.unit)
    user.atasan = atasan
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
        is_head=is_head,
        start=(
            timezone.localdate()
            if Assignment.objects.filter(person=user).exists()
            else assignments_start()
        ),
        source=Assignment.Source.DEMO,
    )
    user.refresh_from_db()
    return user


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
        atasan = people.get(person.atasan) if person.atasan else None
        user = seed_person(person, atasan=atasan, is_head=person.is_head)
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
