"""An SKP per post (issue 17): `assignment`, `starts_on`, `ends_on` (constraints in 0010, a
separate transaction: PostgreSQL alters no table with the updates' FK checks still pending).

Existing SKPs start on 1 January of their cycle's year and belong to the assignment their
employee held that day (portal 0008 made one per person from the User snapshot), else to the
first one of that year, else to none. Idempotent (the tests replay data migrations).
"""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q


def fill(apps, schema_editor):
    Skp = apps.get_model("performance", "Skp")
    Assignment = apps.get_model("portal", "Assignment")
    rows = Skp.objects.filter(Q(starts_on__isnull=True) | Q(assignment__isnull=True)).values_list(
        "pk", "employee_id", "cycle__year", "starts_on"
    )
    for pk, employee_id, year, starts_on in rows.iterator(chunk_size=2000):
        starts_on = starts_on or dt.date(year, 1, 1)
        posts = Assignment.objects.filter(person_id=employee_id).filter(
            Q(end__isnull=True) | Q(end__gte=starts_on)
        )
        post = (
            posts.filter(start__lte=starts_on).order_by("-start").first()
            or posts.filter(start__year=year).order_by("start").first()
        )
        Skp.objects.filter(pk=pk).update(starts_on=starts_on, assignment=post)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0008_unit_evaluation_capaian_record"),
        ("portal", "0008_assignments_from_users"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="skp",
            options={
                "ordering": ["-cycle__year", "employee__full_name", "starts_on"],
                "verbose_name": "SKP",
                "verbose_name_plural": "SKP",
            },
        ),
        migrations.RemoveConstraint(
            model_name="skp",
            name="skp_unique_per_cycle",
        ),
        migrations.AddField(
            model_name="skp",
            name="assignment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="skps",
                to="portal.assignment",
                verbose_name="penempatan",
            ),
        ),
        migrations.AddField(
            model_name="skp",
            name="ends_on",
            field=models.DateField(
                blank=True,
                help_text="Kosong: sampai akhir siklus.",
                null=True,
                verbose_name="berlaku sampai",
            ),
        ),
        migrations.AddField(
            model_name="skp",
            name="starts_on",
            field=models.DateField(blank=True, null=True, verbose_name="berlaku mulai"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
