"""Admin BKPSDM manages people and units in the editor workspace (Wagtail admin)."""

from django.db import migrations

PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("portal", "orgunit", "add_orgunit"),
    ("portal", "orgunit", "change_orgunit"),
    ("portal", "orgunit", "view_orgunit"),
    ("portal", "user", "add_user"),
    ("portal", "user", "change_user"),
    ("portal", "user", "view_user"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Admin BKPSDM")
    for app_label, model, codename in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_groups_and_perangkat_daerah"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
