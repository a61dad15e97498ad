"""An SKP per post (issue 17), the constraints: `starts_on` required, one SKP per (employee, cycle,
starts_on), at most one open one per (employee, cycle), an end not before the start."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0009_skp_per_post"),
    ]

    operations = [
        migrations.AlterField(
            model_name="skp",
            name="starts_on",
            field=models.DateField(blank=True, verbose_name="berlaku mulai"),
        ),
        migrations.AddConstraint(
            model_name="skp",
            constraint=models.UniqueConstraint(
                fields=("employee", "cycle", "starts_on"), name="skp_unique_per_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="skp",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ends_on__isnull", True)),
                fields=("employee", "cycle"),
                name="skp_one_open_per_cycle",
            ),
        ),
        migrations.AddConstraint(
            model_name="skp",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ends_on__isnull", True),
                    ("ends_on__gte", models.F("starts_on")),
                    _connector="OR",
                ),
                name="skp_ends_after_start",
            ),
        ),
    ]
