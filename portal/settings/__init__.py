"""Settings for Portal Kinerja ASN Kota Bandung (`DJANGO_SETTINGS_MODULE=portal.settings`).

Driven by environment variables (see `.env.example`). The defaults are the embedded ones:
SQLite, an in-memory channel layer, a local-memory cache and console e-mail, so that
`make run` works on a bare machine. Production switches integrations on through
`DATABASE_URL`, `REDIS_URL`, `DJANGO_EMAIL_*` variables and turns debugging off.

One module per topic, each setting declared once, in its topic's module, and gathered here
(tests/portal/test_settings_declared.py). No layers override each other: what changes between
machines comes from the environment, not from another settings module.
"""

from .accounts import *  # noqa: F403  (auth, allauth, MFA)
from .content import *  # noqa: F403  (Wagtail)
from .core import *  # noqa: F403  (paths, environment, apps, middleware, language, files)
from .integrations import *  # noqa: F403  (database, Redis, e-mail)
from .policy import *  # noqa: F403  (training, recognition, performance numbers)
from .security import *  # noqa: F403  (headers, cookies, HTTPS)
