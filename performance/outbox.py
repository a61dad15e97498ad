"""Moved to `portal.outbox` (notifications belong to every app); kept for old imports."""

from portal.outbox import RETRY_AFTER, OutboxResult, email_for, send_pending_emails

__all__ = ["RETRY_AFTER", "OutboxResult", "email_for", "send_pending_emails"]
