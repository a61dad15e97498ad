"""Who may write and who approves training pages, set up idempotently.

Used by the data migration (with the historical app registry) and by seed_demo and tests
(with the live one), so it only touches models through `apps.get_model`.

- The catalogue page /pelatihan/ (TrainingIndexPage under the HomePage, slug "pelatihan").
- Workflow "Publikasi Pelatihan": one GroupApprovalTask for Moderator Konten, assigned to the
  catalogue page, so every module and lesson below it goes through moderation.
- Tim Komunikasi may add and change pages there (not publish); Moderator Konten may add,
  change and publish. Both may use the Wagtail admin and choose images and documents (adding and
  changing them: cms.media).
"""

INDEX_SLUG = "pelatihan"
INDEX_TITLE = "Pelatihan"
INDEX_INTRO = (
    "<p>Modul singkat untuk memahami pengelolaan kinerja ASN: SKP, umpan balik berkelanjutan, "
    "evaluasi, dan nilai dasar BerAKHLAK. Selesaikan pelajaran, lulus kuis, dan dapatkan "
    "sertifikat dengan jam pelajaran (JP).</p>"
)
WORKFLOW_NAME = "Publikasi Pelatihan"
TASK_NAME = "Persetujuan Moderator Konten (pelatihan)"
TIM_KOMUNIKASI = "Tim Komunikasi"
MODERATOR_KONTEN = "Moderator Konten"
PAGE_PERMISSIONS = {
    TIM_KOMUNIKASI: ["add_page", "change_page"],
    MODERATOR_KONTEN: ["add_page", "change_page", "publish_page"],
}
# Choosing only: adding and changing images/documents is cms.media's policy (collections).
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["choose_image"]),
    ("wagtaildocs", "document", ["choose_document"]),
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail configures it
STEPLEN = 4


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, rest = divmod(number, 36)
        step = ALPHABET[rest] + step
    return parent.path + step.rjust(STEPLEN, "0")


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission = Permission.objects.filter(content_type=content_type, codename=codename).first()
    if permission is None:
        permission = Permission.objects.create(
            content_type=content_type, codename=codename, name=codename.replace("_", " ")
        )
    return permission


def ensure_training_index(apps):
    """The TrainingIndexPage at /pelatihan/ (created under the HomePage if missing)."""
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("cms", "HomePage")
    TrainingIndexPage = apps.get_model("training", "TrainingIndexPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    existing = TrainingIndexPage.objects.order_by("path").first()
    if existing is not None:
        return existing
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(
        app_label="training", model="trainingindexpage"
    )
    slug = INDEX_SLUG
    if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug).exists():
        slug = "pelatihan-asn"  # someone made a different page there; keep theirs
    index = TrainingIndexPage.objects.create(
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{slug}/",
        slug=slug,
        title=INDEX_TITLE,
        draft_title=INDEX_TITLE,
        locale_id=home.locale_id,
        live=True,
        intro=INDEX_INTRO,
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    )
    return index


def ensure_editorial_setup(apps, schema_editor=None) -> None:
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    index = ensure_training_index(apps)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    root_collection = Collection.objects.filter(depth=1).first()
    for name, codenames in PAGE_PERMISSIONS.items():
        group = groups[name]
        group.permissions.add(access_admin)
        if index is not None:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page_id=index.pk,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )
        if root_collection is not None:
            for app_label, model, collection_codenames in COLLECTION_PERMISSIONS:
                for codename in collection_codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(apps, app_label, model, codename),
                    )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    task.groups.add(groups[MODERATOR_KONTEN])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if index is not None:
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
