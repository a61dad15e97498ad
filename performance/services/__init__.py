"""Every rule-bearing write of performance management, by topic.

Functions are keyword-only and atomic; side effects run after commit, and e-mail waits in the
outbox (`performance.outbox`). A broken rule raises `ValidationError` (a message for the form), a
wrong person raises `PermissionDenied` (with a message the view shows). Either way nothing is saved.
Callers use `from performance import services` and `services.<name>`; the names live in
`common`, `planning`, `approval`, `reports`, `evidence` and `notifications`; the annual evaluation
(`services.evaluation`, with `services.keberatan` and `services.external_rating`) and the
re-assignment of pejabat penilai (`services.penilai`) are imported as modules. The helpers the
topics share stay in `common`.
"""

from .approval import (
    WAITING,
    answered_by,
    approval_refusal,
    approve_skp,
    approve_skps,
    check_approve_skp,
    return_skp,
    submission_message,
    submit_skp,
)
from .evidence import (
    MB,
    EvidenceRefused,
    NewEvidence,
    add_evidence,
    add_evidence_file,
    add_evidence_link,
    delete_evidence,
)
from .notifications import (
    mark_notifications_read,
)
from .planning import (
    add_indicator,
    add_rhk,
    create_cycle,
    create_skp,
    delete_indicator,
    delete_rhk,
    set_cycle_status,
    set_expectation,
    update_period,
    update_skp_details,
)
from .reports import (
    REALISASI_LIMIT,
    TRAINING_URL,
    RealisasiValue,
    SubmissionRefused,
    add_feedback,
    check_realisasi,
    rate_report,
    return_report,
    save_report,
    start_report,
    submit_report,
)

__all__ = [
    "WAITING",
    "EvidenceRefused",
    "MB",
    "NewEvidence",
    "REALISASI_LIMIT",
    "RealisasiValue",
    "SubmissionRefused",
    "TRAINING_URL",
    "add_evidence",
    "add_evidence_file",
    "add_evidence_link",
    "add_feedback",
    "check_realisasi",
    "add_indicator",
    "add_rhk",
    "answered_by",
    "approval_refusal",
    "approve_skp",
    "approve_skps",
    "check_approve_skp",
    "create_cycle",
    "create_skp",
    "delete_evidence",
    "delete_indicator",
    "delete_rhk",
    "mark_notifications_read",
    "rate_report",
    "return_report",
    "return_skp",
    "save_report",
    "set_cycle_status",
    "set_expectation",
    "start_report",
    "submit_report",
    "submission_message",
    "submit_skp",
    "update_period",
    "update_skp_details",
]
