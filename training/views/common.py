"""What the training views share: live pages by id, the training contact, private responses."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from portal.models import ADMIN_BKPSDM, User

from ..models import TrainingModulePage

# Page ids beyond 64 bits: SQLite raises OverflowError in a page-pointer lookup, so refuse first.
PAGE_ID_MAX = 2**63 - 1


def live_page(queryset, pk: int):
    if pk > PAGE_ID_MAX:
        raise Http404
    return get_object_or_404(queryset.live(), pk=pk)


def live_module(module_id: int) -> TrainingModulePage:
    return live_page(TrainingModulePage.objects, module_id)


def training_contact() -> dict:
    """Who to contact about training: the settings, else the first active Admin BKPSDM."""
    email = settings.TRAINING_CONTACT_EMAIL
    if not email:
        email = (
            User.objects.active()
            .filter(groups__name=ADMIN_BKPSDM)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", flat=True)
            .first()
        ) or ""
    return {
        "name": settings.TRAINING_CONTACT_NAME,
        "email": email,
        "phone": settings.TRAINING_CONTACT_PHONE,
    }


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response
