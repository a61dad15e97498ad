"""Create the role groups and load Bandung's Perangkat Daerah from portal/data."""

import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "perangkat_daerah.json"
GROUPS = ["Tim Komunikasi", "Moderator Konten", "Admin BKPSDM"]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    OrgUnit = apps.get_model("portal", "OrgUnit")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["perangkat_daerah"]:
        OrgUnit.objects.update_or_create(
            code=slugify(entry["name"]),
            defaults={"name": entry["name"], "kind": entry["type"], "parent": None},
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
