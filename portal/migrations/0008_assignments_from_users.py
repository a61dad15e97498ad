"""One open assignment per existing person with a unit, from the User snapshot (issue 17).

Starts on 1 January of the earliest performance cycle (1 January of this year when there is
none, so a cycle created later for this year still finds everyone's atasan); source "migrasi".
The head post: a JPT at the top of an OPD, as the code treated unit heads until now. Idempotent:
people who already have an assignment are left alone.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def first_day(apps) -> dt.date:
    try:
        Cycle = apps.get_model("performance", "Cycle")
    except LookupError:
        Cycle = None
    year = Cycle.objects.order_by("year").values_list("year", flat=True).first() if Cycle else None
    return dt.date(year or timezone.localdate().year, 1, 1)


def create_assignments(apps, schema_editor):
    User = apps.get_model("portal", "User")
    Assignment = apps.get_model("portal", "Assignment")
    start = first_day(apps)
    people = (
        User.objects.filter(org_unit__isnull=False, assignments__isnull=True)
        .values_list("pk", "org_unit_id", "org_unit__parent_id", "jabatan", "jenis_jabatan", "atasan_id")
        .order_by("pk")
    )
    batch = []
    for pk, unit_id, parent_id, jabatan, jenis, atasan_id in people.iterator(chunk_size=2000):
        batch.append(
            Assignment(
                person_id=pk,
                org_unit_id=unit_id,
                jabatan=jabatan,
                jenis_jabatan=jenis,
                atasan_id=atasan_id if atasan_id != pk else None,
                is_head=jenis == "jpt" and parent_id is None,
                start=start,
                source="migrasi",
            )
        )
        if len(batch) >= 2000:
            Assignment.objects.bulk_create(batch)
            batch = []
    Assignment.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0007_staffing"),
        # the earliest cycle gives the start date
        ("performance", "0006_skp_register_atasan"),
    ]

    operations = [
        migrations.RunPython(create_assignments, migrations.RunPython.noop),
    ]
