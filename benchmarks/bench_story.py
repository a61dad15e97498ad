"""A public story page against a "hello" view, cached and uncached, alternating.

    python -m benchmarks.bench_story --requests 300 [--port 8104]

Two Daphne servers on the same core: one with the page cache (portal.page_cache) and one with
it switched off (`CMS_PAGE_CACHE_SECONDS = 0`, so neither the page nor the article fragment
is cached). For each server in turn, the story and the hello view alternate; every ratio is
p95(story) / p95(hello) on the same server, in the same series:

    story-cached: ratio=...    (anonymous, warm cache: the page comes from the cache)
    story-uncached: ratio=...  (the page routed, queried and rendered every time)

The demo stories are loaded into the benchmark database first (`seed_demo --force`,
idempotent). Cached responses are checked to be hits (`X-Page-Cache: hit`) and query
counts come from the benchmark settings' `X-Queries` header.
"""

from __future__ import annotations

import argparse
import subprocess
import time

import requests

from . import common


def daphne(port: int, **env) -> subprocess.Popen:
    cmd = [common.PY, "-m", "daphne", "-v", "0", "-p", str(port), "portal.asgi:application"]
    return common.start(cmd, port, cpu=0, **env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8104, help="and the next one")
    args = parser.parse_args()
    subprocess.run(
        [common.PY, "manage.py", "seed_demo", "--force"],
        cwd=common.ROOT, env=common.bench_env(), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    common.setup_django()
    from cms.models import SuccessStoryPage

    story = SuccessStoryPage.objects.live().order_by("pk").first()
    cached_port, uncached_port = args.port, args.port + 1
    servers = [
        daphne(cached_port),
        daphne(uncached_port, BENCH_CMS_PAGE_CACHE_SECONDS="0"),
    ]
    common.pin_self(1)
    urls = {
        "cached": f"http://127.0.0.1:{cached_port}{story.url}",
        "hello-cached": f"http://127.0.0.1:{cached_port}/_baseline/hello/",
        "uncached": f"http://127.0.0.1:{uncached_port}{story.url}",
        "hello-uncached": f"http://127.0.0.1:{uncached_port}/_baseline/hello/",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    queries: dict[str, str] = {}
    try:
        http = requests.Session()  # keeps the CSRF cookie, as a browser would
        # One series per server, the story and hello alternating in it. (Rotating through all
        # four URLs put a cached request straight after an uncached render once a round, and
        # the uncached server's leftover work on the shared core landed on the cached p95.)
        for pair in (("cached", "hello-cached"), ("uncached", "hello-uncached")):
            for i in range(args.requests + 20):
                for name in pair if i % 2 == 0 else pair[::-1]:
                    started = time.perf_counter()
                    response = http.get(urls[name], allow_redirects=False)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{name}: HTTP {response.status_code} {urls[name]}")
                    hit = response.headers.get("X-Page-Cache") == "hit"
                    if i >= 20:
                        if hit != (name == "cached"):
                            raise SystemExit(f"{name}: X-Page-Cache={hit} on {urls[name]}")
                        timings[name].append(elapsed)
                        queries[name] = response.headers.get("X-Queries", "?")
    finally:
        for server in servers:
            common.stop(server)
    p95 = {name: common.percentile(t, 95) * 1000 for name, t in timings.items()}
    for project, baseline in (("cached", "hello-cached"), ("uncached", "hello-uncached")):
        common.line(
            f"story-{project}",
            p95[project] / p95[baseline],
            f"{p95[project]:.1f}ms-p95",
            f"{p95[baseline]:.1f}ms-p95",
            f"queries={queries[project]} page={story.url} requests={args.requests}",
        )


if __name__ == "__main__":
    main()
