"""/papan/ against one hand-written SQL query in a bare view, same server, alternating.

    python -m benchmarks.bench_ranking --users 20000 --entries 1000000 --requests 300
Prints `ranking: ratio=<p95 project / p95 baseline> project=... baseline=...`.
"""

from __future__ import annotations

import argparse
import subprocess
import time

import requests

from . import common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--no-generate", action="store_true")
    args = parser.parse_args()
    if not args.no_generate:
        subprocess.run(
            [common.PY, "-m", "benchmarks.generate_board_data", "--users", str(args.users),
             "--entries", str(args.entries)],
            cwd=common.ROOT, env=common.bench_env(), check=True,
        )  # fmt: skip
    common.setup_django()
    from portal.models import User

    viewer = User.objects.filter(email=f"u{args.users // 2}@bench.local").get()
    cookie = common.session_cookie(viewer)
    server = common.daphne(args.port, cpu=0)
    common.pin_self(1)
    base = f"http://127.0.0.1:{args.port}"
    urls = {"project": f"{base}/papan/", "baseline": f"{base}/_baseline/ranking/"}
    timings: dict[str, list[float]] = {"project": [], "baseline": []}
    queries: dict[str, set[int]] = {"project": set(), "baseline": set()}
    try:
        http = {"project": requests.Session(), "baseline": requests.Session()}
        http["project"].cookies.set("sessionid", cookie)  # the bare view gets no session
        for i in range(args.requests + 20):
            for name in ("project", "baseline") if i % 2 else ("baseline", "project"):
                started = time.perf_counter()
                response = http[name].get(urls[name], allow_redirects=False)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:200]}")
                if i >= 20:  # the first 20 rounds warm both up
                    timings[name].append(elapsed)
                    queries[name].add(int(response.headers["X-Queries"]))
    finally:
        common.stop(server)
    p95 = {name: common.percentile(t, 95) * 1000 for name, t in timings.items()}
    # The median as well: on a shared, loaded machine the p95 is mostly other processes.
    p50 = {name: common.percentile(t, 50) * 1000 for name, t in timings.items()}
    q = {name: "/".join(str(n) for n in sorted(s)) for name, s in queries.items()}
    common.line(
        "ranking",
        p95["project"] / p95["baseline"],
        f"{p95['project']:.1f}ms-p95/{q['project']}q",
        f"{p95['baseline']:.1f}ms-p95/{q['baseline']}q",
        f"users={args.users} entries={args.entries} requests={args.requests} "
        f"p50-ratio={p50['project'] / p50['baseline']:.2f} "
        f"(p50 {p50['project']:.1f}ms vs {p50['baseline']:.1f}ms)",
    )


if __name__ == "__main__":
    main()
