"""Images and documents: Tim Komunikasi adds and changes only in "Unggahan Tim Komunikasi";
what pages use moves to "Dipakai halaman terbit" (cms.media). Moderator Konten: everything.

Idempotent (tests call `setup_media_collections(apps, None)` after a transactional flush,
seed_demo too). Removes the add/change permissions that 0004 and training's editorial set-up
gave Tim Komunikasi on the root collection, which let them replace the photo of a live story.
"""

from django.db import migrations

TIM_KOMUNIKASI = "Tim Komunikasi"
MODERATOR_KONTEN = "Moderator Konten"
UPLOADS = "Unggahan Tim Komunikasi"  # cms.media.UPLOADS
LOCKED = "Dipakai halaman terbit"  # cms.media.LOCKED
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
MEDIA = {
    "image": ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    "document": ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def _child_collection(Collection, parent, name):
    existing = Collection.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1, name=name
    ).first()
    if existing:
        return existing
    last = (
        Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 1 if last is None else int(last[-STEPLEN:], 36) + 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    child = Collection.objects.create(
        name=name, path=parent.path + step.rjust(STEPLEN, "0"), depth=parent.depth + 1, numchild=0
    )
    Collection.objects.filter(pk=parent.pk).update(
        numchild=Collection.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        ).count()
    )
    return child


def setup_media_collections(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    komunikasi, _ = Group.objects.get_or_create(name=TIM_KOMUNIKASI)
    moderator, _ = Group.objects.get_or_create(name=MODERATOR_KONTEN)
    root = Collection.objects.filter(depth=1).first()
    if root is None:  # a transactional test flush removed Wagtail's root collection
        root = Collection.objects.create(name="Root", path="0001", depth=1, numchild=0)
    uploads = _child_collection(Collection, root, UPLOADS)
    _child_collection(Collection, root, LOCKED)

    for model, (app_label, codenames) in MEDIA.items():
        add, change, choose = (_permission(apps, app_label, model, c) for c in codenames)
        # Tim Komunikasi: add/change nowhere but in the uploads collection
        GroupCollectionPermission.objects.filter(
            group=komunikasi, permission__in=[add, change]
        ).exclude(collection=uploads).delete()
        grants = [
            (komunikasi, root, choose),
            (komunikasi, uploads, add),
            (komunikasi, uploads, change),
            (moderator, root, add),
            (moderator, root, change),
            (moderator, root, choose),
        ]
        for group, collection, permission in grants:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_publikasi_cerita"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(setup_media_collections, migrations.RunPython.noop)]
