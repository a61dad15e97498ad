"""What the report side shows: the status badge on the beranda, wording of the SKP card,
the team banner and table (issue 15, items 9, 10 and 11)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import UserFactory

from .factories import make_report, make_skp

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def _stylesheets(html: str) -> str:
    """The CSS of every stylesheet the page links (from the static files finders)."""
    css = []
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        path = finders.find(href.removeprefix(settings.STATIC_URL).split("?")[0])
        assert path, href
        css.append(Path(path).read_text(encoding="utf-8"))
    return "\n".join(css)


def test_the_report_status_badge_on_the_beranda_has_a_colour(client_for, employee, report):
    html = client_for(employee).get(reverse("portal:beranda")).content.decode()
    badge = re.search(r'<span class="([^"]*status-badge[^"]*)"[^>]*>Draf</span>', html)
    assert badge, "the report's status badge is on the beranda"
    css = _stylesheets(html)
    coloured = [
        name
        for name in badge.group(1).split()
        if re.search(rf"\.{re.escape(name)}(?![\w-])[^{{]*\{{[^}}]*background", css)
    ]
    assert coloured, "no stylesheet loaded on the beranda gives the badge a background"


def test_the_skp_card_counts_rhk_in_rhk(client_for, employee, employee_skp):
    employee_skp.rhks.create(jenis="tambahan", text="RHK kedua")
    html = client_for(employee).get(reverse("performance:home"), HTTP_ACCEPT_LANGUAGE="id")
    body = html.content.decode()
    assert "2 RHK" in body
    assert "2 poin" not in body


def test_the_indonesian_catalogue_is_the_source_text():
    """Source strings are Indonesian: a translation to Indonesian that differs is a wrong
    guess (msgmerge's fuzzy matching made "%(n)s RHK" read "%(n)s poin")."""
    catalogue = polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))
    wrong = [
        entry.msgid
        for entry in catalogue
        if (
            set(entry.msgstr_plural.values()) != {entry.msgid_plural}
            if entry.msgid_plural
            else entry.msgstr != entry.msgid
        )
    ]
    assert wrong == []


def test_team_banner_and_table_count_the_same_waiting_reports(
    client_for, supervisor, cycle, period, supervisor_rhk, employee_skp
):
    """Banner 3, table 2 (issue 15.11): a late report of an earlier period is listed too."""
    earlier = cycle.periods.filter(start__lt=period.start).order_by("-start").first()
    assert earlier is not None
    late = make_report(employee_skp, earlier, status="diajukan")
    late.on_time = False
    late.save()
    make_report(employee_skp, period, status="diajukan")
    other = UserFactory(atasan=supervisor, full_name="Citra Rekan")
    make_report(make_skp(other, cycle, parent=supervisor_rhk), period, status="diajukan")
    body = client_for(supervisor).get(reverse("performance:team")).content.decode()
    assert "3 laporan menunggu penilaian Anda" in body
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    shown = len(re.findall(r'href="/kinerja/laporan/\d+/">Nilai', table))
    assert shown == 3
    row = table[table.index(f'data-testid="menunggu-{late.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Periode lain" in row and earlier.label in row and "terlambat" in row
