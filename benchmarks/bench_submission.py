"""Submission throughput: the real give-recognition form POST (session, CSRF, form and
service validation, ledger, scores, badges, board broadcast) against a bare view doing one
INSERT, on the same daphne server, in alternating timed phases with the same concurrency.

    python -m benchmarks.bench_submission --seconds 5 --rounds 3 --concurrency 4

(The periodic-report submission of the performance app needs a whole SKP and period set
up per request; the recognition form is the busiest write form of the board and is what
this measures.) Prints `submission: ratio=<project req/s / baseline req/s> ...`.
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid

import requests

from . import common


def prepare(port: int):
    from django.db import connection

    from portal.demo import demo_user, seed_people
    from portal.domain import berakhlak_values

    seed_people()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert "
            "(id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)"
        )
    giver, receiver = demo_user("atasan"), demo_user("pegawai")
    assert receiver.atasan_id == giver.pk, "the demo atasan must lead the demo pegawai"
    return common.session_cookie(giver), receiver.pk, berakhlak_values()[0]["code"]


def worker(kind, base, cookie, receiver, value, until, counts, lock) -> None:
    http = requests.Session()
    ok = 0
    if kind == "project":
        http.cookies.set("sessionid", cookie)
        http.get(f"{base}/papan/beri/")  # sets the CSRF cookie, as a browser would
        csrf = http.cookies.get("csrftoken")
    while time.perf_counter() < until:
        if kind == "project":
            response = http.post(
                f"{base}/papan/beri/",
                data={
                    "csrfmiddlewaretoken": csrf,
                    "receiver": receiver,
                    "value": value,
                    "points": "5",
                    "message": "Terima kasih atas kerja kerasnya minggu ini.",
                    "token": uuid.uuid4().hex,
                },
                headers={"Referer": f"{base}/papan/beri/"},
                allow_redirects=False,
            )
            ok += response.status_code == 302
        else:
            response = http.post(
                f"{base}/_baseline/insert/",
                data={"message": "Terima kasih atas kerja kerasnya minggu ini.", "value": value},
            )
            ok += response.status_code == 201
    with lock:
        counts[kind] += ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8130)
    args = parser.parse_args()
    common.setup_django()
    cookie, receiver, value = prepare(args.port)
    server = common.daphne(args.port, cpu=0)
    common.pin_self(1)
    base = f"http://127.0.0.1:{args.port}"
    counts = {"project": 0, "baseline": 0}
    elapsed = {"project": 0.0, "baseline": 0.0}
    lock = threading.Lock()
    try:
        for i in range(args.rounds):
            for kind in ("project", "baseline") if i % 2 == 0 else ("baseline", "project"):
                started = time.perf_counter()
                until = started + args.seconds
                threads = [
                    threading.Thread(
                        target=worker,
                        args=(kind, base, cookie, receiver, value, until, counts, lock),
                    )
                    for _ in range(args.concurrency)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed[kind] += time.perf_counter() - started
    finally:
        common.stop(server)
    rps = {kind: counts[kind] / elapsed[kind] for kind in counts}
    if not counts["project"]:
        raise SystemExit("submission: no project POST succeeded")
    common.line(
        "submission",
        rps["project"] / rps["baseline"],
        f"{rps['project']:.1f}req/s",
        f"{rps['baseline']:.1f}req/s",
        f"concurrency={args.concurrency} seconds={args.seconds}x{args.rounds}",
    )


if __name__ == "__main__":
    main()
