"""The story index at /cerita/, the "Publikasi Cerita" workflow and the editors' permissions.

Idempotent: tests call `setup_publication(apps, None)` again after a transactional flush,
and seed_demo relies on it too.
"""

from django.db import migrations

WORKFLOW = "Publikasi Cerita"
CONSENT_TASK = "Persetujuan pegawai yang ditampilkan"
MODERATION_TASK = "Persetujuan Moderator Konten"
TIM_KOMUNIKASI = "Tim Komunikasi"
MODERATOR_KONTEN = "Moderator Konten"
INDEX = {
    "title": "Cerita Sukses",
    "slug": "cerita",
    "intro": (
        "Kisah ASN Kota Bandung yang bekerja melampaui ekspektasi: inovasi layanan, kolaborasi "
        "lintas perangkat daerah, dan perilaku BerAKHLAK dalam pekerjaan sehari-hari."
    ),
}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 1 if last is None else int(last[-STEPLEN:], 36) + 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_story_index(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("cms", "HomePage")
    StoryIndexPage = apps.get_model("cms", "StoryIndexPage")
    existing = StoryIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model="storyindexpage")
    index = StoryIndexPage.objects.create(
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=home.url_path + INDEX["slug"] + "/",
        locale_id=home.locale_id,
        live=True,
        draft_title=INDEX["title"],
        **INDEX,
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    )
    return index


def setup_publication(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ConsentTask = apps.get_model("cms", "ConsentTask")

    index = create_story_index(apps)
    komunikasi, _ = Group.objects.get_or_create(name=TIM_KOMUNIKASI)
    moderator, _ = Group.objects.get_or_create(name=MODERATOR_KONTEN)

    consent = ConsentTask.objects.filter(name=CONSENT_TASK).first()
    if consent is None:
        consent = ConsentTask.objects.create(
            name=CONSENT_TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(app_label="cms", model="consenttask")[0],
        )
    moderation = GroupApprovalTask.objects.filter(name=MODERATION_TASK).first()
    if moderation is None:
        moderation = GroupApprovalTask.objects.create(
            name=MODERATION_TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
    moderation.groups.add(moderator)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=consent, defaults={"sort_order": 0})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=moderation, defaults={"sort_order": 1}
    )

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    komunikasi.permissions.add(access_admin)
    moderator.permissions.add(access_admin)
    if index is not None:
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
        page_perms = {
            komunikasi: ["add_page", "change_page"],
            moderator: ["add_page", "change_page", "publish_page"],
        }
        for group, codenames in page_perms.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page_id=index.pk,
                    permission=_permission(apps, "wagtailcore", "page", codename, codename),
                )
    # Image and document permissions: 0005_media_collections (cms.media).


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_story_pages"),
        ("portal", "0002_groups_and_perangkat_daerah"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]
    operations = [migrations.RunPython(setup_publication, migrations.RunPython.noop)]
