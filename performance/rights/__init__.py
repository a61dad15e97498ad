"""Who may act on an SKP or a periodic report, and on which day: see `checks`."""

from .checks import *  # noqa: F403
from .checks import CAPACITY_LABELS, NOTHING  # noqa: F401
