"""Demo training content for `manage.py seed_demo` (hook order 20). Idempotent.

Structured facts (BerAKHLAK values and their panduan perilaku, rating levels, the predikat
matrix) come from portal/data/asn_performance.json; the prose follows PermenPANRB 6/2022 as
summarised in the project's domain reference. Modules that already exist are left as the
editors made them.
"""

from .blocks import question
from .seed import BERAKHLAK_SLUG, SOSIALISASI_SLUG, seed_training_demo

__all__ = ["BERAKHLAK_SLUG", "SOSIALISASI_SLUG", "question", "seed_training_demo"]
