"""The training flows around the Wagtail pages (mounted by training/urls.py), by topic."""

from .certificates import certificate_check, certificate_lookup, certificate_pdf
from .learning import (
    attempt_result,
    catalogue_status,
    complete_lesson,
    module_progress_view,
    quiz,
    serve_lesson,
)
from .oversight import (
    attempts_admin,
    confirm_module,
    confirmations,
    grant_attempts,
    oversight,
    oversight_csv,
    oversight_xlsx,
)

__all__ = [
    "attempt_result",
    "attempts_admin",
    "catalogue_status",
    "certificate_check",
    "certificate_lookup",
    "certificate_pdf",
    "complete_lesson",
    "confirm_module",
    "confirmations",
    "grant_attempts",
    "module_progress_view",
    "oversight",
    "oversight_csv",
    "oversight_xlsx",
    "quiz",
    "serve_lesson",
]
