"""The catalogue page /pelatihan/, the workflow "Publikasi Pelatihan" and the editors' rights.

Idempotent (training.editorial): running it again, or after seed_demo, changes nothing.
"""

from django.db import migrations

from training.editorial import ensure_editorial_setup


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("cms", "0002_create_homepage"),
        ("portal", "0002_groups_and_perangkat_daerah"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(ensure_editorial_setup, migrations.RunPython.noop)]
