"""What the public sees goes through moderation, images and documents included.

Wagtail lets whoever may *change* an image (or uploaded it and may *add* in its collection)
replace its file, and the new file shows at once on every live page that uses it. So:

- Tim Komunikasi may add images and documents, and change them, only in the collection
  "Unggahan Tim Komunikasi" (UPLOADS); they may choose from every collection.
- Moderator Konten may add, change and choose everywhere.
- When a page is submitted to its workflow or published (any path: the editor, bulk
  publish, scheduled publishing, workflow approval), every image and document it uses that
  still sits in UPLOADS moves to "Dipakai halaman terbit" (LOCKED), where Tim Komunikasi
  only chooses. A new version of a photo is a new upload that goes through the workflow.

The collections and permissions are set by migration 0005 (`setup_media_collections`).
"""

from __future__ import annotations

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex
from wagtail.signals import page_published, workflow_submitted

UPLOADS = "Unggahan Tim Komunikasi"
LOCKED = "Dipakai halaman terbit"


def _referenced_ids(page, model) -> set[int]:
    content_type_id = ReferenceIndex._get_base_content_type(model).id
    ids = set()
    for (
        ct_id,
        object_id,
        _model_path,
        _content_path,
    ) in ReferenceIndex._extract_references_from_object(page):
        if ct_id == content_type_id and str(object_id).isdigit():
            ids.add(int(object_id))
    return ids


def lock_media_of(page) -> int:
    """Move the images and documents `page` uses out of UPLOADS into LOCKED."""
    uploads = Collection.objects.filter(name=UPLOADS).first()
    locked = Collection.objects.filter(name=LOCKED).first()
    if uploads is None or locked is None:
        return 0
    moved = 0
    for model in (get_image_model(), get_document_model()):
        ids = _referenced_ids(page, model)
        if ids:
            moved += model.objects.filter(
                pk__in=ids, collection__path__startswith=uploads.path
            ).update(collection=locked)
    return moved


def _on_published(sender, instance, **kwargs):
    lock_media_of(instance)


def _on_submitted(sender, instance, **kwargs):
    page = instance.content_object
    revision = page.get_latest_revision() if hasattr(page, "get_latest_revision") else None
    lock_media_of(revision.as_object() if revision else page)


def connect_signals() -> None:
    page_published.connect(_on_published, dispatch_uid="cms.media:published")
    workflow_submitted.connect(_on_submitted, dispatch_uid="cms.media:submitted")
