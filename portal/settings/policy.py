"""Local policy: the numbers behind training, recognition and the board, and performance
management (each overridable from the environment where an operator may tune it)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .core import env_bool

# --- Training ------------------------------------------------------------------------------

# Yearly target of training hours (JP) shown on the beranda: "JP tahun ini: 12 dari 20".
TRAINING_JP_TARGET_PER_YEAR = int(os.environ.get("TRAINING_JP_TARGET_PER_YEAR", "20"))
# Points awarded once per completed module whose JP Admin BKPSDM confirmed (leaderboard ledger).
TRAINING_POINTS_PER_MODULE = int(os.environ.get("TRAINING_POINTS_PER_MODULE", "50"))
# Training points per person per calendar year, however many modules exist (local choice:
# two modules' worth), so points cannot be farmed by publishing many small modules.
TRAINING_POINTS_MAX_PER_YEAR = int(os.environ.get("TRAINING_POINTS_MAX_PER_YEAR", "100"))
# Upper bound of JP for one self-paced online module (local choice: /work/shared/domain has no
# rule on JP per module; a day of classroom training is well above what a web module is worth).
TRAINING_JP_MAX_PER_MODULE = int(os.environ.get("TRAINING_JP_MAX_PER_MODULE", "8"))
# Quiz retake policy: after the attempts of a round are used up, a new round of
# `attempt_limit` attempts opens this many hours later, once the lessons are re-read.
TRAINING_QUIZ_RETRY_WAIT_HOURS = int(os.environ.get("TRAINING_QUIZ_RETRY_WAIT_HOURS", "24"))
# Who an employee contacts about training (quiz and module pages). Without an e-mail here the
# pages show the e-mail of the first active Admin BKPSDM account.
TRAINING_CONTACT_NAME = os.environ.get("TRAINING_CONTACT_NAME", "Admin BKPSDM")
TRAINING_CONTACT_EMAIL = os.environ.get("TRAINING_CONTACT_EMAIL", "")
TRAINING_CONTACT_PHONE = os.environ.get("TRAINING_CONTACT_PHONE", "")

# --- Recognition and the board (leaderboard) --------------------------------------------------

# Points a supervisor may give in one recognition (0 is a thank-you, outside this list).
LEADERBOARD_POINT_LEVELS = [5, 10, 25, 50]
# Points one giver may hand out per calendar month (revoked awards still count).
LEADERBOARD_MONTHLY_BUDGET = int(os.environ.get("LEADERBOARD_MONTHLY_BUDGET", "200"))
# Thank-yous (no points) one person may send per calendar month.
LEADERBOARD_MONTHLY_THANKS = int(os.environ.get("LEADERBOARD_MONTHLY_THANKS", "10"))
# Burst guard on "Beri Apresiasi": submissions per giver per second/minute/hour ("10/m"), counted
# in the cache (shared through Redis in production); beyond it HTTP 429 and nothing is saved.
LEADERBOARD_GIVE_RATE = os.environ.get("LEADERBOARD_GIVE_RATE", "10/m")
# Named levels by all-time points: (minimum points, name). Never lowered once reached.
LEADERBOARD_LEVELS = [
    (0, _("Pemula")),
    (25, _("Penggerak")),
    (100, _("Teladan")),
    (250, _("Inspirator")),
    (500, _("Panutan")),
    (1000, _("Duta BerAKHLAK")),
]
# Rows shown at the top of the board.
LEADERBOARD_TOP_N = 10
# A pair that rewarded each other at least this often (both ways, 90 days) is listed for review.
LEADERBOARD_RECIPROCAL_MIN = 2

# --- Performance management ---------------------------------------------------------------

# The first periodic report of an employee waits for every confirmed mandatory training module
# (performance.services.reports, training's Certificate.objects.missing_mandatory); 0 switches it off.
PERFORMANCE_TRAINING_GATE = env_bool("PERFORMANCE_TRAINING_GATE", default=True)
# Points for a periodic report submitted on or before its due date (once per report).
PERFORMANCE_ON_TIME_POINTS = int(os.environ.get("PERFORMANCE_ON_TIME_POINTS", "10"))
# `manage.py send_notification_emails` tries a notification e-mail this many times, then gives up
# and logs (the portal notification stays the record).
PERFORMANCE_EMAIL_MAX_ATTEMPTS = int(os.environ.get("PERFORMANCE_EMAIL_MAX_ATTEMPTS", "5"))
# Bukti dukung caps beside the 10 MB per file (performance.services, every path): items (files
# and links) and megabytes per report; files and megabytes one person uploads per day (Jakarta).
PERFORMANCE_EVIDENCE_MAX_PER_REPORT = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_PER_REPORT", "20")
)
PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_MB_PER_REPORT", "50")
)
PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_FILES_PER_DAY", "30")
)
PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY = int(
    os.environ.get("PERFORMANCE_EVIDENCE_MAX_MB_PER_DAY", "100")
)

# --- Annual evaluation and monitoring ---------------------------------------------------------

# Days after a unit's predikat are finalised during which an employee may lodge a keberatan.
# A local choice: the regulation text on the objection window was not retrieved.
PERFORMANCE_KEBERATAN_DAYS = int(os.environ.get("PERFORMANCE_KEBERATAN_DAYS", "14"))
# `manage.py send_reminders` reminds this many days before a period's due date.
PERFORMANCE_REMINDER_DAYS_BEFORE = int(os.environ.get("PERFORMANCE_REMINDER_DAYS_BEFORE", "3"))
# The special rule of the predikat matrix (domain data): the head of an OPD takes the OPD's
# capaian kinerja organisasi as their rating hasil kerja. The reference gives the rule, not how
# five capaian levels map onto three ratings: a local choice (README), capaian code -> rating code.
PERFORMANCE_HEAD_CAPAIAN_RATING = {
    "istimewa": "di_atas",
    "baik": "sesuai",
    "butuh_perbaikan": "di_bawah",
    "kurang": "di_bawah",
    "sangat_kurang": "di_bawah",
}

# --- Transfers and promotions mid-year (issue 17) -------------------------------------------

# Which SKP a periodic report belongs to when a transfer (mutasi/promosi) splits the year into
# SKPs: "akhir", the SKP in force on the period's last day (the period the transfer falls in is
# reported on the new post's SKP), or "awal", the SKP in force on its first day (on the old
# post's). Periods that ended before the transfer stay with the old SKP and its pejabat penilai
# either way. A local choice: the reference says nothing about transfers mid-period.
PERFORMANCE_TRANSFER_PERIOD_RULE = os.environ.get("PERFORMANCE_TRANSFER_PERIOD_RULE", "akhir")
if PERFORMANCE_TRANSFER_PERIOD_RULE not in ("akhir", "awal"):
    raise ImproperlyConfigured('PERFORMANCE_TRANSFER_PERIOD_RULE must be "akhir" or "awal".')

# --- The REST API (issue 18, api/) -------------------------------------------------------------

# Bodies above this size are refused with 413 before they are read (a register sync of 16,000
# employees is about 4 MB of JSON).
PORTAL_API_MAX_BODY_BYTES = int(os.environ.get("PORTAL_API_MAX_BODY_BYTES", 8 * 1024 * 1024))
# Every token's own per-minute limit (set on the token) is multiplied by this: 0 < factor.
PORTAL_API_RATE_FACTOR = float(os.environ.get("PORTAL_API_RATE_FACTOR", "1"))
