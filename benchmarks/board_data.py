"""Benchmark data for the board: N employees with valid NIPs in the real OPDs of the demo
data, M ledger entries spread over six months, and the matching Score rows (the sums are
checked). Fast on PostgreSQL (COPY); works on SQLite with bulk_create for small sizes.
A benchmark fixture, not a production command; run it with

    python -m benchmarks.generate_board_data --users 20000 --entries 1000000

Generated people have e-mails ending in @bench.local; a re-run replaces them (and only them).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from leaderboard.ledger import erase_entries
from leaderboard.models import ALL_TIME, PointEntry, Score
from portal.demo import seed_people
from portal.models import OrgUnit, User
from portal.validators import validate_nip

from .rows import save_scores, season_totals

BENCH_DOMAIN = "bench.local"
BENCH_PASSWORD = "bench-portal-123"  # benchmark accounts only, never in production data
FIRST_NAMES = ["Asep", "Dedi", "Euis", "Iis", "Ujang", "Neng", "Cecep", "Yayan", "Rina", "Dadang"]
LAST_NAMES = ["Suryana", "Hidayat", "Permana", "Rahayu", "Kurniawan", "Nurjanah", "Saputra"]
POINTS = [5, 10, 25, 50]


def bench_nip(i: int) -> str:
    """A valid, unique PNS NIP for the i-th generated employee (i < 9000 * 999)."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i % 9000)
    tmt = f"{birth.year + 23}{(i % 12) + 1:02d}"
    return f"{birth:%Y%m%d}{tmt}{1 + i % 2}{i // 9000 + 1:03d}"


class BoardDataError(Exception):
    pass


def generate(*, users: int = 2000, entries: int = 100000, seed: int = 8, stdout=None) -> None:
    """Employees, ledger entries and scores (sums checked); replaces earlier generated data."""
    if users < 1 or entries < 0:
        raise BoardDataError("--users >= 1 and --entries >= 0")
    _Generator(stdout).run(users, entries, seed)


class _Generator:
    def __init__(self, stdout=None):
        self.stdout = stdout

    def run(self, users: int, entries: int, seed: int) -> None:
        started = time.monotonic()
        rng = random.Random(seed)
        seed_people()
        units = list(OrgUnit.objects.values_list("pk", flat=True))
        with transaction.atomic():
            self._reset()
            user_ids = self._users(users, units)
            self._entries(entries, user_ids, rng)
            self._scores(user_ids)
        self._check(user_ids)
        self._analyze()
        if self.stdout is not None:
            self.stdout.write(
                f"generate_board_data: {users} users, {entries} entries "
                f"in {time.monotonic() - started:.1f}s\n"
            )

    def _bench_users(self):
        return User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")

    def _reset(self) -> None:
        # Plain DELETEs: the ORM would first load a million ledger rows to look for
        # related objects (generated entries have none). The ledger refuses a DELETE on
        # PostgreSQL unless it goes through its one erasure path.
        bench = "SELECT id FROM portal_user WHERE email LIKE %s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM leaderboard_score WHERE user_id IN ({bench})",
                [f"%@{BENCH_DOMAIN}"],
            )
        erase_entries(users=self._bench_users())
        self._bench_users().delete()

    def _users(self, n: int, units: list[int]) -> list[int]:
        password = make_password(BENCH_PASSWORD)
        people = []
        for i in range(n):
            nip = bench_nip(i)
            validate_nip(nip, status="PNS")
            people.append(
                User(
                    nip=nip,
                    email=f"u{i}@{BENCH_DOMAIN}",
                    full_name=f"{FIRST_NAMES[i % 10]} {LAST_NAMES[i % 7]} {i}",
                    org_unit_id=units[i % len(units)],
                    password=password,
                    is_active=True,
                )
            )
        User.objects.bulk_create(people, batch_size=2000)
        return list(self._bench_users().order_by("pk").values_list("pk", flat=True))

    def _entries(self, n: int, user_ids: list[int], rng: random.Random) -> None:
        now = timezone.now()
        rows = []
        for i in range(n):
            created = now - dt.timedelta(seconds=rng.randrange(0, 180 * 86400))
            rows.append(
                (rng.choice(user_ids), rng.choice(POINTS), "recognition", f"bench:{i}", created)
            )
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for user_id, points, reason, key, created in rows:
                buffer.write(f"{user_id}\t{points}\t{reason}\t{key}\t{created.isoformat()}\n")
            buffer.seek(0)
            with (
                connection.cursor() as cursor,
                cursor.connection.cursor().copy(
                    "COPY leaderboard_pointentry (user_id, points, reason, key, created_at) "
                    "FROM STDIN"
                ) as copy,
            ):
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        else:
            PointEntry.objects.bulk_create(
                [
                    PointEntry(user_id=u, points=p, reason=r, key=k, created_at=c)
                    for u, p, r, k, c in rows
                ],
                batch_size=5000,
            )
        self._rows = rows

    def _scores(self, user_ids: list[int]) -> None:
        totals = season_totals((user_id, n, created) for user_id, n, _r, _k, created in self._rows)
        save_scores(totals, batch_size=5000, updated_at=timezone.now())

    def _analyze(self) -> None:
        """What autovacuum does soon after a bulk load in production (statistics for the
        planner, the visibility map for index-only scans), done now so that a benchmark
        that starts right away does not measure a freshly loaded, unanalysed database."""
        if connection.vendor != "postgresql":
            return
        # The board's rank count is an index-only scan of the scores (needs the visibility
        # map); the ledger is only read by its primary key. VACUUM cannot run in a
        # transaction (a caller's, or a test's): then statistics only.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{vacuum} portal_user, leaderboard_score")
            cursor.execute("ANALYZE leaderboard_pointentry")

    def _check(self, user_ids: list[int]) -> None:
        from django.db.models import Sum

        ids = self._bench_users().values("pk")
        ledger = PointEntry.objects.filter(user__in=ids).aggregate(s=Sum("points"))["s"] or 0
        scored = (
            Score.objects.filter(user__in=ids, season=ALL_TIME).aggregate(s=Sum("total"))["s"] or 0
        )
        monthly = (
            Score.objects.filter(user__in=ids)
            .exclude(season=ALL_TIME)
            .aggregate(s=Sum("total"))["s"]
            or 0
        )
        if not ledger == scored == monthly:
            raise BoardDataError(
                f"sums differ: ledger {ledger}, all-time {scored}, months {monthly}"
            )
