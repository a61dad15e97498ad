from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.signals import assignment_changed, assignments_changed, pre_assign, pre_assign_many


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Kinerja")

    def ready(self) -> None:
        # portal imports no performance code: it announces a change of post, performance
        # refuses a locked date and moves the SKPs (performance.services.transfer).
        # local: the services import the models, which are not loaded when this module is
        from .services import transfer

        pre_assign.connect(transfer.check_transfer, dispatch_uid="performance-check-transfer")
        assignment_changed.connect(
            transfer.on_assignment_changed, dispatch_uid="performance-transfer-skps"
        )
        # the same for many people at once (the register sync, portal.staffing.bulk)
        pre_assign_many.connect(
            transfer.check_transfers, dispatch_uid="performance-check-transfers"
        )
        assignments_changed.connect(
            transfer.on_assignments_changed, dispatch_uid="performance-transfer-skps-many"
        )
