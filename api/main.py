"""The REST API, version 1 (issue 18): `/api/v1/`, its OpenAPI 3 schema at
`/api/v1/openapi.json` and Swagger UI at `/api/v1/docs/` (django-ninja's own static files).

django-ninja rather than DRF + drf-spectacular: Wagtail 8 already installs it (no new runtime
dependency), the schema comes from the same type hints that validate the input (pydantic), and
its docs page serves Swagger UI from the package's static files with no inline script, so it
runs under the portal's strict Content-Security-Policy.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from . import errors, performance, recognition, register, training


class PortalApi(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """The view's own name (`sync_employees`): stable, and what generated clients call."""
        return operation.view_func.__name__


api = PortalApi(
    title="Portal Kinerja ASN Kota Bandung API",
    version="1.0.0",
    description=str(
        _(
            "Register kepegawaian, SKP dan kinerja, pelatihan, serta apresiasi. Klien mesin "
            "memakai token API (Authorization: Bearer) yang dibuat Admin BKPSDM; orang yang "
            "masuk ke portal dapat membaca dengan haknya sendiri."
        )
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/register", register.router)
api.add_router("/performance", performance.router)
api.add_router("/training", training.router)
api.add_router("/recognition", recognition.router)
