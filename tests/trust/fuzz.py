"""Shared pieces of the form and upload fuzzing (issue 9): hypothesis settings, strategies for
hostile input, the world the routes are tried in, and the checks every response must pass.

Runtime is bounded: FUZZ_EXAMPLES examples per route (default 20, derandomized so CI is
deterministic); `FUZZ_EXAMPLES=500 pytest tests/trust -k fuzz` for a deep local run.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from django.contrib.messages import constants as message_levels
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm
from django.utils.html import escape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def scaled(factor: float) -> settings:
    """More or fewer examples than a form gets (filters, ids, forms without fields), so the
    suite stays well under two minutes; FUZZ_EXAMPLES scales them all."""
    return settings(fuzz_settings, max_examples=max(3, int(EXAMPLES * factor)))


# --- strategies ---------------------------------------------------------------------------

HUGE = "x" * 100_000
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 8,
    "\u202eRTL override\u202c",
    "\u200f\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",  # RTL mark, Arabic, Hebrew
    "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467\U0001f1ee\U0001f1e9",  # emoji, ZWJ, flag
    "\\ud800\\udfff",  # surrogates as escaped text (real ones cannot be sent as UTF-8)
    "e\u0301" * 50,  # combining marks
    "\ufeffBOM",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE portal_user;--",
    "%s%n%x",
    "../../etc/passwd",
    "\r\n\r\nX-Injected: 1",
    "\u0660\u0661\u0662",  # Arabic-Indic digits
    "\u00b2\u00b3",  # superscript digits: str.isdigit() but not int()
    "\uff11\uff12",  # full-width digits
    HUGE,
    "\U0001f600" * 5_000,
]
NASTY_NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1,5",
    "1.5",
    "1.000.000,50",
    "9" * 40,
    "-" + "9" * 40,
    "9223372036854775808",
    "0x1F",
    "1_000",
    " 7 ",
    "7abc",
    "\u00b2",
    "\u0661\u0662",
    "\uff15",
]
text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
)
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
scalar = st.one_of(text, numbers)


def hostile(good: st.SearchStrategy | None = None) -> st.SearchStrategy:
    """A field's value: a sensible one (to get past the first check), hostile text or numbers,
    or several values for one name (a list where a scalar is expected; duplicate fields)."""
    options = [scalar, st.lists(scalar, min_size=2, max_size=3)]
    if good is not None:
        options = [good, good, *options]
    return st.one_of(*options)


def form_data(fields: dict[str, st.SearchStrategy | None]) -> st.SearchStrategy:
    """POST data where any field may be missing, hostile, repeated, and junk fields appear."""
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: hostile(good) for name, good in fields.items()},
            "csrfmiddlewaretoken": scalar,
            "__junk": hostile(),
        },
    )


def ids(*good: int) -> st.SearchStrategy:
    """Object ids: real ones (perhaps someone else's), ones that do not exist, absurd ones."""
    return st.one_of(
        st.sampled_from([str(pk) for pk in good]) if good else st.nothing(),
        st.sampled_from(["0", "-1", "999999", "9" * 30, "1.0", "abc", "\u00b2"]),
    )


# --- running one example --------------------------------------------------------------------

ENGLISH_DEFAULTS = (
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Null characters are not allowed",
)


def forms_in(response) -> list[BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            if not isinstance(value, dict):
                continue
            for item in value.values():
                if isinstance(item, BaseForm) and item.is_bound and item not in found:
                    found.append(item)
    return found


def error_messages(response) -> list[str]:
    """Error messages added by this request (not ones left in the cookie by earlier ones)."""
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m.message) for m in queued if m.level >= message_levels.ERROR]


def refused(response) -> bool:
    """Was the request turned down (so nothing may have changed)?"""
    if response.status_code >= 400:
        return True
    if error_messages(response):
        return True
    return any(form.errors for form in forms_in(response))


def body(response) -> str:
    if response.streaming:
        return ""
    return response.content.decode(errors="replace")


@contextmanager
def rolled_back():
    """Each example starts from the same data: run it in a savepoint that is rolled back."""
    with transaction.atomic():
        cache.clear()  # rate limits and board caches start empty too
        yield
        transaction.set_rollback(True)


def check_response(response, *, before, after, kept: dict[str, str] | None = None) -> None:
    """The contract of every fuzzed request: no 500; a refusal changes nothing and says why in
    Indonesian; a re-rendered form keeps what the user typed (`kept`: field -> typed value)."""
    assert response.status_code < 500, response.status_code
    if not refused(response):
        return
    assert after == before, "a refused request changed saved data"
    html = body(response)
    for english in ENGLISH_DEFAULTS:
        assert english not in html, f"untranslated error message: {english}"
    if response.status_code in (200, 400, 422) and "text/html" in response.get("Content-Type", ""):
        for form in forms_in(response):
            # only forms the page actually shows (a crafted POST may hit a form not offered now)
            if not any(f'name="{form.add_prefix(name)}"' in html for name in form.fields):
                continue
            shown = [str(m) for errors in form.errors.values() for m in errors]
            if shown:
                assert any(escape(m) in html for m in shown), (
                    f"a refused form does not show why: {shown}"
                )
            for name, value in (kept or {}).items():
                if (
                    name in form.fields
                    and value.strip()
                    and f'name="{form.add_prefix(name)}"' in html
                ):
                    assert escape(value) in html or escape(value.strip()) in html, (
                        f"the re-rendered form lost what was typed in {name!r}"
                    )


# --- the world --------------------------------------------------------------------------------


def build_fuzz_world():
    """The permission matrix's world (tests/matrix_world.py) plus what the forms need to get
    past their first check: SKPs in draft and submitted, a draft report, an annual rating, an
    objection, and a learner whose quiz is open."""
    from performance.models import AnnualRating, Cycle, Keberatan, PeriodicReport, Skp
    from tests.factories import UserFactory
    from tests.matrix_world import build_world
    from tests.performance.factories import make_report, make_skp
    from training.models import Enrollment, LessonCompletion, TrainingModulePage

    world = build_world()
    users, ids = world.users, world.ids
    employee, supervisor = users["employee"], users["supervisor"]
    cycle = Cycle.objects.get(pk=ids["cycle"])
    skp = Skp.objects.get(pk=ids["skp"])
    parent = skp.rhks.get().parent_rhk

    def colleague():
        return UserFactory(org_unit=employee.org_unit, atasan=supervisor)

    drafter, submitter, objector, learner = colleague(), colleague(), colleague(), colleague()
    draft_skp = make_skp(drafter, cycle, status="draf", parent=parent)
    submitted_skp = make_skp(submitter, cycle, status="diajukan", parent=parent)
    used = PeriodicReport.objects.filter(skp=skp).values("period")
    other_period = cycle.periods.exclude(pk__in=used).order_by("start").first()
    draft_report = make_report(skp, other_period, status="draf")

    AnnualRating.objects.create(
        skp=skp,
        rating_hasil_kerja="sesuai",
        rating_perilaku_kerja="sesuai",
        predikat="baik",
        rated_by=supervisor,
    )
    objector_skp = make_skp(objector, cycle, parent=parent)
    objection = Keberatan.objects.create(
        rating=AnnualRating.objects.create(
            skp=objector_skp,
            rating_hasil_kerja="di_bawah",
            rating_perilaku_kerja="sesuai",
            predikat="butuh_perbaikan",
            rated_by=supervisor,
        ),
        reasons="Saya keberatan.",
    )

    module = TrainingModulePage.objects.get(pk=ids["module"])
    Enrollment.objects.create(user=learner, module=module)
    for lesson in module.lessons():
        LessonCompletion.objects.create(user=learner, lesson=lesson, module=module)

    users.update(head=supervisor.atasan, drafter=drafter, learner=learner)
    ids.update(
        draft_skp=draft_skp.pk,
        submitted_skp=submitted_skp.pk,
        draft_rhk=draft_skp.rhks.get().pk,
        draft_indicator=draft_skp.rhks.get().indicators.first().pk,
        draft_report=draft_report.pk,
        other_period=other_period.pk,
        objector_skp=objector_skp.pk,
        objection=objection.pk,
        parent_rhk=parent.pk,
    )
    return world


def _counted_models() -> list:
    from django.apps import apps

    return [
        model
        for app in ("portal", "leaderboard", "training", "performance", "cms")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    ]


def fuzz_snapshot(world) -> tuple:
    """What a refused request must not change: the row count of every table of the portal's
    apps (one query) and the fields the fuzzed forms write."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from leaderboard.models import KioskLink, Recognition
    from performance.models import Keberatan, PeriodicReport, Realisasi, ReportingPeriod, Rhk, Skp

    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in _counted_models()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    people = [u.pk for u in world.users.values() if u]
    return (
        row,
        list(Skp.objects.order_by("pk").values_list("status", "pendekatan", "konsekuensi")),
        list(Rhk.objects.order_by("pk").values_list("text", "parent_rhk")),
        list(
            PeriodicReport.objects.order_by("pk").values_list(
                "status", "narrative", "predikat", "return_note"
            )
        ),
        list(Realisasi.objects.order_by("pk").values_list("value", "text")),
        list(ReportingPeriod.objects.order_by("pk").values_list("due_date", "is_closed")),
        list(Keberatan.objects.order_by("pk").values_list("status", "reasons")),
        list(Recognition.objects.order_by("pk").values_list("revoked_at")),
        list(KioskLink.objects.order_by("pk").values_list("revoked_at")),
        list(
            get_user_model()
            .objects.filter(pk__in=people)
            .order_by("pk")
            .values_list("board_opt_out", "password")
        ),
    )
