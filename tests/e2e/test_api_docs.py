"""/api/v1/docs/: Swagger UI from django-ninja's own static files, under the strict policy."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_trust import violations, watched_page

pytestmark = pytest.mark.e2e


def test_api_docs_render_without_cdn_or_csp_violation(new_page, live_server_url):
    page, console = watched_page(new_page, phone=False)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server_url, "data:", "blob:"))
            else None
        ),
    )
    page.goto("/api/v1/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/register/sync")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert violations(page) == [] and console == []
