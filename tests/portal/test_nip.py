import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.validators import normalize_nip, validate_nip

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("nip", "status"),
    [
        ("198609262015051001", "PNS"),
        ("197001012000122999", "PNS"),
        ("199808082023012001", "PPPK"),  # PPPK: year of appointment + number of agreements
        ("199808082023212001", "PPPK"),
    ],
)
def test_valid_nips_pass(nip, status):
    validate_nip(nip, status=status, today=TODAY)


@pytest.mark.parametrize(
    ("nip", "status", "fragment"),
    [
        ("19860926201505100", "PNS", "18 angka"),
        ("1986092620150510011", "PNS", "18 angka"),
        ("19860926201505100a", "PNS", "18 angka"),
        ("198602302015051001", "PNS", "tanggal lahir yang sah"),
        ("198609262015131001", "PNS", "bulan TMT"),
        ("198609262015001001", "PNS", "bulan TMT"),
        ("198609262015053001", "PNS", "laki-laki"),
        ("198609262015051000", "PNS", "dimulai dari 001"),
        ("198609262000051001", "PNS", "usia 17"),
        ("198609262027051001", "PNS", "masa depan"),
        ("201509262027051001", "PNS", "tidak masuk akal"),
        ("199808082023002001", "PPPK", "perjanjian kerja"),
    ],
)
def test_invalid_nips_are_refused_with_an_indonesian_reason(nip, status, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_nip(nip, status=status, today=TODAY)
    assert any(fragment in message for message in excinfo.value.messages), excinfo.value.messages


def test_nip_written_with_spaces_is_normalised():
    assert normalize_nip("19860926 201505 1 001") == "198609262015051001"
