"""The register sync (DESIGN §6, issue 18): a city-scale staff register of N rows (16,000) with
the atasan of every row resolved inside the file, against a bare bulk insert of the same rows,
alternating, on the same database (PostgreSQL).

    python -m benchmarks.bench_import --rows 16000 --rounds 3

The rows come from `benchmarks.register_data` (deterministic: 63 OPDs, each a tree under its
head with four bawahan per atasan, shuffled so atasan come before and after their bawahan).
- project, `import`: `portal.services.import_employees(rows=...)`, everything the upload page's
  "Impor sekarang" runs after parsing: every check of every row (NIP, e-mail, units, atasan,
  cycles, duplicates, head posts, e-mail owners), the people, their assignments through the
  staffing writer, the User snapshot, the audit entries, the sync lock.
- project, `dry run`: `import_employees(rows=..., dry_run=True)`, the check step the page runs
  before showing "Impor sekarang".
- baseline: the same rows as `User` objects (unit, jabatan, atasan, e-mail, unusable password)
  inserted with `bulk_create`, one INSERT per level of the atasan trees (an atasan is inserted
  before their bawahan, so every atasan id is known): no checks, no assignments, no audit.
Each measurement runs inside a transaction that is rolled back, so every round starts from the
same database (the after-commit signal of the sync is therefore not sent; for new people it
has nothing to do). Prints `import-16k: ratio=<import / baseline> ...` and
`import-16k-dry: ratio=<dry run / baseline> ...`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from . import common


def _baseline(rows, units) -> None:
    # local: Django is set up in main(), after the arguments are read
    from django.contrib.auth.hashers import make_password

    from portal.models import User

    by_nip = {row["nip"]: row for row in rows}
    placed: dict[str, User] = {}
    level = [row for row in rows if not row["nip_atasan"]]
    while level:
        people = [
            User(
                nip=row["nip"],
                full_name=row["nama_lengkap"],
                email=row["email"],
                jabatan=row["jabatan"],
                jenis_jabatan=row["jenis_jabatan"],
                pangkat_golongan=row["pangkat_golongan"],
                status_kepegawaian=row["status"],
                org_unit=units[row["kode_unit"]],
                atasan=placed.get(row["nip_atasan"]),
                password=make_password(None),
            )
            for row in level
        ]
        User.objects.bulk_create(people)
        placed.update((person.nip, person) for person in people)
        nips = {row["nip"] for row in level}
        level = [r for r in by_nip.values() if r["nip_atasan"] in nips]


def _timed(run) -> float:
    from django.db import transaction  # local: Django is set up in main()

    started = time.perf_counter()
    with transaction.atomic():
        run()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=16000)
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    common.setup_django()
    common.pin_self(0)
    from django.db import connection, reset_queries

    from portal.models import OrgUnit, User
    from portal.services import import_employees

    from .register_data import REGISTER_DOMAIN, opd_codes, register_rows

    if connection.vendor != "postgresql":
        raise SystemExit("bench_import: PostgreSQL only (DATABASE_URL)")
    if User.objects.filter(email__endswith=f"@{REGISTER_DOMAIN}").exists():
        raise SystemExit("bench_import: generated people are already in the database")
    codes = opd_codes(args.units)
    rows = register_rows(args.rows, codes)
    units = OrgUnit.objects.in_bulk(codes, field_name="code")
    results: dict[str, list[float]] = {"import": [], "dry": [], "baseline": []}

    def sync():
        result = import_employees(rows=rows)
        if not result.ok or len(result.created) != args.rows:
            raise SystemExit(f"bench_import: import failed: {result.errors[:5]}")

    def dry():
        result = import_employees(rows=rows, dry_run=True)
        if not result.ok or len(result.created) != args.rows:
            raise SystemExit(f"bench_import: dry run failed: {result.errors[:5]}")

    runs = {"import": sync, "dry": dry, "baseline": lambda: _baseline(rows, units)}
    for i in range(args.rounds):
        order = ["baseline", "import", "dry"] if i % 2 else ["import", "dry", "baseline"]
        for name in order:
            reset_queries()
            results[name].append(_timed(runs[name]))
    best = {name: statistics.median(times) for name, times in results.items()}
    tag = f"import-{args.rows // 1000}k" if args.rows >= 1000 else f"import-{args.rows}"
    note = f"rows={args.rows} units={len(codes)} rounds={args.rounds} (median)"
    common.line(tag, best["import"] / best["baseline"], f"{best['import']:.2f}s",
                f"{best['baseline']:.2f}s", note)  # fmt: skip
    common.line(f"{tag}-dry", best["dry"] / best["baseline"], f"{best['dry']:.2f}s",
                f"{best['baseline']:.2f}s", note)  # fmt: skip


if __name__ == "__main__":
    main()
