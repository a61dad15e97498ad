"""Training endpoints: a person's certificates and JP (jam pelajaran) in a year."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.timezone import localdate
from ninja import Query, Schema

from training.models import Certificate

from .auth import ApiRouter
from .models import Scope
from .register import person_for

router = ApiRouter(tags=["training"])


class CertificateOut(Schema):
    kode: str
    modul: str
    jp: int
    nilai_kuis: int | None
    terbit: dt.datetime
    tautan_verifikasi: str


class TrainingRecord(Schema):
    nip: str
    tahun: int
    jumlah_jp: int
    sertifikat: list[CertificateOut]


@router.reads(
    "/employees/{nip}", TrainingRecord, Scope.READ_TRAINING, "Sertifikat dan JP seorang pegawai"
)
def employee_training(
    request: HttpRequest,
    nip: str,
    tahun: int | None = Query(None, ge=2000, le=2100, description="Kosong: tahun ini"),
):
    """Certificates issued in the year (Asia/Jakarta) and their JP total."""
    person = person_for(request.auth, nip)
    year = tahun or localdate().year
    certificates = list(Certificate.objects.filter(user=person).in_year(year))
    return {
        "nip": person.nip,
        "tahun": year,
        "jumlah_jp": sum(c.jp for c in certificates),
        "sertifikat": [
            {
                "kode": c.code,
                "modul": c.module_title,
                "jp": c.jp,
                "nilai_kuis": c.score,
                "terbit": c.issued_at,
                "tautan_verifikasi": c.verify_url,
            }
            for c in certificates
        ],
    }
