"""The people and objects the permission matrix tries every route with (built once per module).

Every object with an id in a URL is owned by `employee`, so the other roles try someone
else's report, SKP, evidence, certificate, recognition, badge award, consent request...
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.utils import timezone

from cms.demo import ensure_publication_setup
from cms.models import ConsentRequest, FeaturedEmployee, StoryIndexPage, SuccessStoryPage
from leaderboard.models import Badge, BadgeAward, KioskLink, Recognition
from performance.models import Evidence, Notification
from portal.models import ADMIN_BKPSDM, MODERATOR_KONTEN, TIM_KOMUNIKASI, OrgUnit
from portal.staffing import ActingAppointment, RatingDelegation
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import current_period, make_cycle, make_report, make_skp
from tests.training.factories import make_module, single
from training.editorial import ensure_training_index
from training.models import Certificate, QuizAttempt

ROLES = (
    "anonymous",
    "employee",
    "other_employee",
    "supervisor",
    "other_supervisor",
    "komunikasi",
    "moderator",
    "admin",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)


def build_world() -> World:
    world = World()
    opd = OrgUnitFactory(name="Dinas Matriks", kind=OrgUnit.Kind.DINAS)
    bidang = OrgUnitFactory(name="Bidang Matriks", kind=OrgUnit.Kind.BIDANG, parent=opd)
    bidang_lain = OrgUnitFactory(name="Bidang Lain", kind=OrgUnit.Kind.BIDANG, parent=opd)
    head = UserFactory(org_unit=opd, jabatan="Kepala Dinas", jenis_jabatan="jpt")
    supervisor = UserFactory(
        org_unit=bidang, atasan=head, jabatan="Kepala Bidang", jenis_jabatan="administrator"
    )
    employee = UserFactory(org_unit=bidang, atasan=supervisor)
    other_supervisor = UserFactory(
        org_unit=bidang_lain, atasan=head, jabatan="Kepala Bidang", jenis_jabatan="administrator"
    )
    other_employee = UserFactory(org_unit=bidang_lain, atasan=other_supervisor)
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    world.users = {
        "anonymous": None,
        "employee": employee,
        "other_employee": other_employee,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "komunikasi": UserFactory(org_unit=opd, groups=[TIM_KOMUNIKASI]),
        "moderator": UserFactory(org_unit=opd, groups=[MODERATOR_KONTEN]),
        "admin": admin,
    }

    # performance: the employee's SKP under the supervisor's, a submitted report, evidence
    cycle = make_cycle()
    period = current_period(cycle)
    supervisor_skp = make_skp(supervisor, cycle)
    skp = make_skp(employee, cycle, parent=supervisor_skp.rhks.get(), indicators=2)
    make_skp(other_employee, cycle)
    report = make_report(skp, period, status="diajukan")
    rhk = skp.rhks.get()
    pdf = b"%PDF-1.4 bukti matriks"
    evidence = Evidence.objects.create(
        report=report,
        file=ContentFile(pdf, name="bukti.pdf"),
        original_name="bukti.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=employee,
    )
    Notification.objects.create(recipient=employee, message="Untuk pegawai", url="/kinerja/")

    # leaderboard: a recognition to the employee, a badge award, a kiosk link
    recognition = Recognition.objects.create(
        giver=supervisor,
        receiver=employee,
        value="kolaboratif",
        message="Terima kasih",
        points=0,
        season=timezone.localdate().strftime("%Y-%m"),
        key=f"matrix-{employee.pk}",
    )
    badge = Badge.objects.create(
        name="Lencana Matriks",
        slug="lencana-matriks",
        description="Untuk uji matriks",
        rule=Badge.Rule.TOTAL_POINTS,
        threshold=1,
    )
    award = BadgeAward.objects.create(badge=badge, user=employee)
    kiosk = KioskLink.objects.create(org_unit=opd, label="Layar lobi", created_by=admin)

    # training: one live module with a lesson and a quiz; the employee's attempt and certificate
    index = ensure_training_index(django_apps)
    module = make_module(
        index, lessons=1, quiz=[single("m", "Satu tambah satu?", ["1", "2*"])], pass_mark=50
    )
    lesson = module.lessons().first()
    attempt = QuizAttempt.objects.create(
        user=employee, module=module, correct_count=1, question_count=1, score=100, passed=True
    )
    certificate = Certificate.objects.create(
        user=employee,
        module=module,
        holder_name=employee.full_name,
        holder_nip=employee.nip,
        module_title=module.title,
        jp=module.jp_hours,
        score=100,
    )

    # cms: a story featuring the employee, submitted to the workflow -> a consent request
    ensure_publication_setup()
    story_index = StoryIndexPage.objects.get()
    komunikasi = world.users["komunikasi"]
    story = SuccessStoryPage(
        title="Cerita matriks",
        slug="cerita-matriks",
        intro="Pengantar",
        body=json.dumps([{"type": "paragraph", "value": "<p>Isi.</p>"}]),
        owner=komunikasi,
        live=False,
    )
    story.featured_employees.add(FeaturedEmployee(user=employee, sort_order=0))
    story_index.add_child(instance=story)
    story.save_revision(user=komunikasi)
    story.get_workflow().start(story, komunikasi)
    consent = ConsentRequest.objects.get(page=story, user=employee)

    # staffing (issue 17): a Plh long over (no rights today) and a delegation still to come
    acting = ActingAppointment.objects.create(
        person=other_supervisor,
        kind=ActingAppointment.Kind.PLH,
        org_unit=opd,
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 1, 31),
        sk_number="800/1-MATRIKS",
    )
    soon = timezone.localdate() + dt.timedelta(days=30)
    delegation = RatingDelegation.objects.create(
        delegator=supervisor,
        delegate=head,
        start=soon,
        end=soon + dt.timedelta(days=10),
        reason="Cuti",
    )

    world.ids = {
        "acting": acting.pk,
        "delegation": delegation.pk,
        "skp": skp.pk,
        "period": period.pk,
        "rhk": rhk.pk,
        "indicator": rhk.indicators.first().pk,
        "report": report.pk,
        "evidence": evidence.pk,
        "cycle": cycle.pk,
        "year": cycle.year,
        "opd": opd.pk,
        "employee": employee.pk,
        "nip": employee.nip,
        "opd_code": opd.code,
        "recognition": recognition.pk,
        "kiosk": kiosk.pk,
        "badge": badge.slug,
        "award": award.uid,
        "module": module.pk,
        "lesson": lesson.pk,
        "attempt": attempt.pk,
        "certificate": certificate.code,
        "consent": consent.pk,
    }
    world.paths = {"module": module.url, "lesson": lesson.url}
    return world


def snapshot(world: World) -> tuple:
    """What a refused request must not change (cheap: counts and the owned objects' states)."""
    from django.contrib.auth import get_user_model

    from leaderboard.models import PointEntry
    from performance.models import (
        FeedbackMessage,
        Indicator,
        PeriodicReport,
        Realisasi,
        Rhk,
        Skp,
    )
    from training.models import Enrollment, LessonCompletion

    counted = (
        get_user_model(),
        PointEntry,
        Recognition,
        BadgeAward,
        KioskLink,
        Skp,
        Rhk,
        Indicator,
        PeriodicReport,
        Realisasi,
        Evidence,
        FeedbackMessage,
        Notification,
        Enrollment,
        LessonCompletion,
        QuizAttempt,
        Certificate,
        ConsentRequest,
    )
    ids = world.ids
    return (
        tuple(model.objects.count() for model in counted),
        Skp.objects.filter(pk=ids["skp"]).values_list("status", flat=True).first(),
        PeriodicReport.objects.filter(pk=ids["report"])
        .values_list("status", "predikat", "return_note")
        .first(),
        Recognition.objects.filter(pk=ids["recognition"]).values_list("revoked_at").first(),
        KioskLink.objects.filter(pk=ids["kiosk"]).values_list("revoked_at").first(),
        ConsentRequest.objects.filter(pk=ids["consent"]).values_list("status").first(),
    )
