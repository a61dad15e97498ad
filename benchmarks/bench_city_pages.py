"""The main page of every role at city scale against the same page on the demo data.

    python -m benchmarks.bench_city_pages --requests 60

Two servers (daphne, the benchmark settings), one on the demo database (`portal_demo_bench`,
made and seeded here when missing) and one on the generated city (`portal_city`, from
`make city`), each with its own cache prefix. For each page (benchmarks.city_targets) the two
are asked in turn, signed in as the person whose page it is; prints one line per page
`city-pages/<page>: ratio=<p95 city / p95 demo> ...` with the query counts (X-Queries), and a
last line `city-pages: ratio=<worst page> ...`. Targets (DESIGN §6, issue 19): query counts
equal, p95 ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time

import requests

from . import common

SERVER = "postgres://postgres@127.0.0.1:5432"


def _db_has(url: str, sql: str) -> bool:
    done = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() not in ("", "0")


def ensure_demo(url: str) -> None:
    """A database with the migrations and seed_demo, made once."""
    if _db_has(url, "select count(*) from portal_user where email = 'pegawai@demo.local'"):
        return
    name = url.rsplit("/", 1)[1]
    subprocess.run(["psql", f"{SERVER}/postgres", "-qc", f"create database {name}"], check=False)
    env = common.bench_env(DATABASE_URL=url, DJANGO_DEBUG="1")
    env.pop("DJANGO_SETTINGS_MODULE")
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [common.PY, "manage.py", *command], cwd=common.ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip


def database_args(parser: argparse.ArgumentParser, port: int) -> None:
    """`--demo-db`, `--city-db` and the first `--port`, as the city benchmarks take them."""
    parser.add_argument("--demo-db", default=f"{SERVER}/portal_demo_bench")
    parser.add_argument("--city-db", default=os.environ.get("CITY_DB", f"{SERVER}/portal_city"))
    parser.add_argument("--port", type=int, default=port)


def databases(args: argparse.Namespace) -> dict[str, str]:
    """{"demo": url, "city": url}: the city must have been generated, the demo is made here."""
    if not _db_has(
        args.city_db, "select count(*) from portal_user where email like '%kota.bench%'"
    ):
        raise SystemExit(f"no generated city in {args.city_db}: run `make city` first")
    ensure_demo(args.demo_db)
    return {"demo": args.demo_db, "city": args.city_db}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    database_args(parser, 8111)
    args = parser.parse_args()
    sides = databases(args)
    targets, servers = {}, {}
    try:
        for n, (side, url) in enumerate(sides.items()):
            extra = {"DATABASE_URL": url, "DJANGO_CACHE_PREFIX": f"bench-{side}"}
            found = subprocess.run(
                [common.PY, "-m", "benchmarks.city_targets", side], cwd=common.ROOT,
                env=common.bench_env(**extra), check=True, capture_output=True, text=True,
            )  # fmt: skip
            targets[side] = json.loads(found.stdout)
            port = args.port + n
            servers[side] = (
                common.start(
                    [
                        common.PY,
                        "-m",
                        "daphne",
                        "-v",
                        "0",
                        "-p",
                        str(port),
                        "portal.asgi:application",
                    ],
                    port,
                    cpu=0,
                    CHANNELS_PREFIX=f"bench-{side}",
                    **extra,
                ),  # fmt: skip
                f"http://127.0.0.1:{port}",
            )
        common.pin_self(1)
        worst = _measure_all(targets, servers, args.requests)
    finally:
        for proc, _base in servers.values():
            common.stop(proc)
    common.line("city-pages", worst[0], worst[1], worst[2], f"worst page {worst[3]}")


def _measure_all(targets, servers, n: int) -> tuple[float, str, str, str]:
    worst = (0.0, "", "", "")
    for page in targets["demo"]:
        timings = {"demo": [], "city": []}
        queries = {"demo": set(), "city": set()}
        http = {side: requests.Session() for side in servers}
        for side in servers:
            http[side].cookies.set("sessionid", targets[side][page][1])
        for i in range(n + 5):
            for side in ("demo", "city") if i % 2 else ("city", "demo"):
                url = servers[side][1] + targets[side][page][0]
                started = time.perf_counter()
                response = http[side].get(url, allow_redirects=False)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{page} ({side}): HTTP {response.status_code} {url}")
                if i >= 5:  # five rounds warm both up
                    timings[side].append(elapsed)
                    queries[side].add(int(response.headers["X-Queries"]))
        p95 = {side: common.percentile(t, 95) * 1000 for side, t in timings.items()}
        q = {side: "/".join(str(c) for c in sorted(s)) for side, s in queries.items()}
        ratio = p95["city"] / p95["demo"]
        city, demo = (
            f"{p95['city']:.1f}ms-p95/{q['city']}q",
            f"{p95['demo']:.1f}ms-p95/{q['demo']}q",
        )
        same = "queries-equal" if q["city"] == q["demo"] else "QUERIES-DIFFER"
        common.line(f"city-pages/{page}", ratio, city, demo, same)
        if ratio > worst[0]:
            worst = (ratio, city, demo, page)
    return worst


if __name__ == "__main__":
    main()
