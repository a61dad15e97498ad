"""Seed the editable kurva distribusi quotas from the domain data; Admin BKPSDM may edit them."""

from django.db import migrations

PERMISSIONS = ["add_distributionrule", "change_distributionrule", "delete_distributionrule",
               "view_distributionrule"]


def seed(apps, schema_editor):
    from performance.rules import default_quotas

    DistributionRule = apps.get_model("performance", "DistributionRule")
    if not DistributionRule.objects.exists():
        for capaian, quotas in default_quotas().items():
            for quota in quotas:
                DistributionRule.objects.create(
                    capaian=capaian, kind=quota.kind, predikat=",".join(quota.predikat), pct=quota.pct
                )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Admin BKPSDM")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="performance", model="distributionrule"
    )
    for codename in PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_evaluation"),
        ("portal", "0003_admin_bkpsdm_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
