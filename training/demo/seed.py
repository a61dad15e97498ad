"""Seeding the demo catalogue: the two modules, their lessons and quizzes, confirmed."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db import transaction

from portal.domain import berakhlak_values

from ..editorial import ensure_editorial_setup
from ..models import LessonPage, ModuleConfirmation, TrainingIndexPage, TrainingModulePage
from .berakhlak import berakhlak_lessons, berakhlak_quiz
from .sosialisasi import sosialisasi_lessons, sosialisasi_quiz

SOSIALISASI_SLUG = "pengenalan-sistem-manajemen-kinerja-asn"
BERAKHLAK_SLUG = "berakhlak-dalam-pekerjaan-sehari-hari"


def _ensure_module(index, slug: str, fields: dict, lessons, quiz) -> TrainingModulePage:
    module = TrainingModulePage.objects.child_of(index).filter(slug=slug).first()
    if module is not None:
        if module.live and not module.confirmations.exists():
            # A demo database seeded before confirmations existed (training.0003).
            ModuleConfirmation.objects.create(
                module=module, jp=module.jp_hours, mandatory=module.mandatory, note="seed_demo"
            )
        return module
    module = TrainingModulePage(slug=slug, quiz=quiz, **fields)
    index.add_child(instance=module)
    module.save_revision().publish()
    # Demo modules come confirmed (no confirmer: seeded); real ones wait for Admin BKPSDM.
    ModuleConfirmation.objects.create(
        module=module, jp=module.jp_hours, mandatory=module.mandatory, note="seed_demo"
    )
    for title, lesson_slug, body in lessons:
        lesson = LessonPage(title=title, slug=lesson_slug, body=body)
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    return module


@transaction.atomic
def seed_training_demo(stdout=None) -> dict[str, TrainingModulePage]:
    ensure_editorial_setup(django_apps)
    index = TrainingIndexPage.objects.order_by("path").first()
    if index is None:
        if stdout:
            stdout.write("  tidak ada halaman beranda publik; pelatihan demo dilewati")
        return {}
    sosialisasi = _ensure_module(
        index,
        SOSIALISASI_SLUG,
        {
            "title": "Pengenalan Sistem Manajemen Kinerja ASN",
            "summary": (
                "Apa tujuan manajemen kinerja menurut PermenPANRB 6/2022, bagaimana SKP, "
                "evaluasi periodik, umpan balik berkelanjutan, dan predikat bekerja, serta "
                "bagaimana menerapkannya di Pemerintah Kota Bandung."
            ),
            "minutes": 60,
            "jp_hours": 4,
            "mandatory": True,
            "berakhlak_values": ["akuntabel", "kompeten"],
            "pass_mark": 70,
            "attempt_limit": 3,
            "lessons_in_order": True,
        },
        sosialisasi_lessons(),
        sosialisasi_quiz(),
    )
    berakhlak = _ensure_module(
        index,
        BERAKHLAK_SLUG,
        {
            "title": "BerAKHLAK dalam Pekerjaan Sehari-hari",
            "summary": (
                "Tujuh nilai dasar ASN dan panduan perilakunya, dengan contoh nyata dari "
                "pekerjaan sehari-hari di lingkungan Pemerintah Kota Bandung."
            ),
            "minutes": 45,
            "jp_hours": 2,
            "mandatory": False,
            "berakhlak_values": [value["code"] for value in berakhlak_values()],
            "prerequisite": sosialisasi,
            "pass_mark": 80,
            "attempt_limit": 3,
            "lessons_in_order": False,
        },
        berakhlak_lessons(),
        berakhlak_quiz(),
    )
    if stdout:
        stdout.write(
            f"  katalog {index.url_path}: {TrainingModulePage.objects.child_of(index).count()} modul"
        )
    return {"sosialisasi": sosialisasi, "berakhlak": berakhlak}
