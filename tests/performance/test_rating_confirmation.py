"""Rating locks a report for good: the predikat is shown and confirmed first (issue 15.4)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from performance import rules

pytestmark = pytest.mark.django_db


def test_first_post_previews_the_predikat_and_saves_nothing(
    client_for, supervisor, submitted_report
):
    url = reverse("performance:report_rate", args=[submitted_report.pk])
    response = client_for(supervisor).post(
        url, {"hasil_kerja": "di_atas", "perilaku_kerja": "di_bawah"}
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    expected = rules.predikat_label(rules.predikat("di_atas", "di_bawah"))
    assert "Predikat yang akan ditetapkan" in html and expected in html
    assert 'name="konfirmasi" value="ya"' in html
    # The confirmation posts the choices again, to the same place.
    assert f'<form method="post" action="{url}" class="d-flex flex-wrap gap-2">' in html
    assert '<input type="hidden" name="hasil_kerja" value="di_atas">' in html
    assert '<input type="hidden" name="perilaku_kerja" value="di_bawah">' in html
    submitted_report.refresh_from_db()
    assert submitted_report.status == "diajukan" and submitted_report.predikat == ""


def test_confirmed_post_locks_with_the_previewed_predikat(client_for, supervisor, submitted_report):
    url = reverse("performance:report_rate", args=[submitted_report.pk])
    response = client_for(supervisor).post(
        url, {"hasil_kerja": "di_atas", "perilaku_kerja": "di_bawah", "konfirmasi": "ya"}
    )
    assert response.status_code == HTTPStatus.FOUND
    submitted_report.refresh_from_db()
    assert submitted_report.status == "dinilai"
    assert submitted_report.predikat == rules.predikat("di_atas", "di_bawah")


def test_going_back_keeps_the_choices_and_saves_nothing(client_for, supervisor, submitted_report):
    url = reverse("performance:report_rate", args=[submitted_report.pk])
    response = client_for(supervisor).post(
        url,
        {"hasil_kerja": "di_atas", "perilaku_kerja": "di_bawah", "konfirmasi": "ya", "ubah": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*checked', html)
    assert ("hasil_kerja", "di_atas") in checked and ("perilaku_kerja", "di_bawah") in checked
    assert "Predikat yang akan ditetapkan" not in html
    submitted_report.refresh_from_db()
    assert submitted_report.status == "diajukan"
