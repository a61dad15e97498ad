"""Writes with rules: an employee's answer to a consent request, a story draft from a source."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.coreutils import find_available_slug
from wagtail.models import TaskState

from portal.domain import berakhlak_choices
from portal.models import OrgUnit, User
from portal.notifications import mark_done

from .models import ConsentRequest, FeaturedEmployee, StoryIndexPage, SuccessStoryPage

PREFILL_KEYS = ("title", "intro", "featured_user_ids", "berakhlak_values", "org_unit_id")


@transaction.atomic
def answer_consent(
    *, consent_request: ConsentRequest, user: User, approve: bool, comment: str = ""
) -> ConsentRequest:
    """Record an employee's own answer. A decline rejects the consent task (the comment
    reaches the author through Wagtail's rejection e-mail and their beranda); the last
    approval completes it and the story moves on to the moderators."""
    if consent_request.user_id != user.pk:
        raise PermissionDenied(
            _("Hanya pegawai yang ditampilkan yang dapat menjawab permintaan ini.")
        )
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            {"comment": _("Tuliskan alasan Anda tidak setuju, agar penulis dapat memperbaikinya.")}
        )
    # one answer at a time per task: the last approval must see everyone else's
    task_state = TaskState.objects.select_for_update().get(pk=consent_request.task_state_id)
    consent_request = ConsentRequest.objects.select_for_update().get(pk=consent_request.pk)
    if (
        consent_request.status != ConsentRequest.PENDING
        or task_state.status != TaskState.STATUS_IN_PROGRESS
    ):
        raise ValidationError(_("Permintaan persetujuan ini sudah tidak menunggu jawaban."))
    consent_request.status = ConsentRequest.APPROVED if approve else ConsentRequest.DECLINED
    consent_request.comment = comment
    consent_request.answered_at = timezone.now()
    consent_request.save(update_fields=["status", "comment", "answered_at"])
    # the request is answered: its "mohon beri persetujuan" notification is done
    mark_done(user=user, url=reverse("cms:consent", args=[consent_request.pk]))
    task_state = task_state.specific
    name = user.full_name or str(user)
    if not approve:
        task_state.reject(
            user=user,
            comment=_("%(name)s tidak setuju: %(comment)s") % {"name": name, "comment": comment},
        )
    elif not task_state.consent_requests.exclude(status=ConsentRequest.APPROVED).exists():
        task_state.approve(user=user, comment=_("Semua pegawai yang ditampilkan telah setuju."))
    return consent_request


def story_prefill(source: str, pk: int, user: User) -> dict:
    """Ask every `cms_story_prefill` hook; the first answer for each key wins."""
    data: dict = {}
    for fn in hooks.get_hooks("cms_story_prefill"):
        answer = fn(source, pk, user)
        if answer:
            for key in PREFILL_KEYS:
                if answer.get(key) not in (None, "", []):
                    data.setdefault(key, answer[key])
    return data


@transaction.atomic
def create_story_draft(
    *, data: dict, user: User, source: str = "", source_pk=None
) -> SuccessStoryPage:
    """A draft SuccessStoryPage under the story index, from prefill data; then tell
    every `cms_story_created` hook (e.g. to link the recognition to the story)."""
    index = StoryIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("Halaman daftar cerita belum ada."))
    title = str(data.get("title") or _("Cerita baru"))[:255]
    known_values = dict(berakhlak_choices())
    org_unit_id = data.get("org_unit_id")
    if org_unit_id:
        unit = OrgUnit.objects.filter(pk=org_unit_id).first()
        org_unit_id = unit.perangkat_daerah.pk if unit else None
    story = SuccessStoryPage(
        title=title,
        slug=find_available_slug(index, slugify(title)[:80] or "cerita"),
        intro=str(data.get("intro") or "")[:600],
        body=[],
        org_unit_id=org_unit_id,
        berakhlak_values=[v for v in data.get("berakhlak_values") or [] if v in known_values],
        owner=user,
        live=False,
    )
    user_ids = User.objects.filter(pk__in=data.get("featured_user_ids") or [], is_active=True)
    for sort_order, uid in enumerate(user_ids.values_list("pk", flat=True)):
        story.featured_employees.add(FeaturedEmployee(user_id=uid, sort_order=sort_order))
    index.add_child(instance=story)
    story.save_revision(user=user, log_action=True)
    for fn in hooks.get_hooks("cms_story_created"):
        fn(source, source_pk, story)
    return story
