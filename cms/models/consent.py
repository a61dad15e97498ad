"""The story workflow's consent step: every featured employee answers for themselves on /beranda/."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from portal.fields import user_fk
from portal.notifications import notify_users


class ConsentMissing(ValidationError):
    """A story would go live (or be scheduled) before every featured employee consented."""


class ConsentTask(Task):
    """Asks every featured employee to consent; they answer on /beranda/, outside the admin.

    Approved when all have consented, rejected as soon as one declines. Employees who
    already consented to this story are not asked again when the workflow restarts.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = verbose_name_plural = _("persetujuan pegawai yang ditampilkan")

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        story = task_state.revision.as_object()
        user_ids = list(dict.fromkeys(fe.user_id for fe in story.featured_employees.all()))
        if not user_ids:
            task_state.reject(
                user=None,
                update=False,
                comment=str(
                    _(
                        "Tidak ada pegawai yang ditampilkan, jadi tidak ada persetujuan yang bisa diminta."
                    )
                ),
            )
            return task_state
        already = set(
            ConsentRequest.objects.filter(
                page_id=story.pk, user_id__in=user_ids, status=ConsentRequest.APPROVED
            ).values_list("user_id", flat=True)
        )
        created = ConsentRequest.objects.bulk_create(
            ConsentRequest(page_id=story.pk, user_id=uid, task_state=task_state)
            for uid in user_ids
            if uid not in already
        )
        # issue 15.11 (board helper): the one call that tells each featured person
        notify_users(
            urls={c.user_id: reverse("cms:consent", args=[c.pk]) for c in created},
            message=gettext("Cerita “%(title)s” menampilkan Anda: mohon beri persetujuan.")
            % {"title": story.title},
            actor=user,
        )
        if set(user_ids) <= already:
            task_state.approve(
                user=None, update=False, comment=str(_("Semua pegawai sudah memberi persetujuan."))
            )
        return task_state

    def get_actions(self, obj, user):
        return []  # answered by the employees themselves on /beranda/

    def locked_for_user(self, obj, user):
        # the text being consented to must not change under the employee's eyes
        return not user.is_superuser

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Setiap pegawai yang ditampilkan menyetujui cerita di beranda mereka")


class ConsentRequestQuerySet(models.QuerySet):
    def pending_for(self, user) -> ConsentRequestQuerySet:
        return (
            self.filter(
                user=user,
                status=ConsentRequest.PENDING,
                task_state__status=TaskState.STATUS_IN_PROGRESS,
            )
            .select_related("page", "task_state__workflow_state__requested_by")
            .order_by("pk")
        )


class ConsentRequest(models.Model):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    STATUS_CHOICES = [
        (PENDING, _("menunggu jawaban")),
        (APPROVED, _("setuju")),
        (DECLINED, _("tidak setuju")),
    ]

    page = models.ForeignKey(
        "cms.SuccessStoryPage", on_delete=models.CASCADE, related_name="consent_requests"
    )
    user = user_fk(related_name="story_consents", on_delete=models.CASCADE)
    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="consent_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=PENDING)
    comment = models.TextField(_("komentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("permintaan persetujuan")
        constraints = [
            models.UniqueConstraint(fields=["task_state", "user"], name="consent_once_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.page} ({self.status})"
